import Foundation
import KubeModel
import KubeStore

/// The state of one API watch, advanced by its single consumer through
/// `AsyncThrowingStream(unfolding:)` (calls are serial, never concurrent, hence `@unchecked`).
///
/// It reads the store's watch for the resource's key prefix, turns each change into an API event
/// (filtered by the selectors), and races the store against a timer for the deadline and idle
/// bookmarks. When the timer wins, the store watch is cancelled and later reopened from the last
/// delivered revision (skipping the events of that revision already consumed): no gap, no duplicate.
final class WatchCursor: @unchecked Sendable {
    private let store: any KeyValueStore
    private let resource: KubeResource
    private let prefix: String
    private let filter: ObjectFilter
    private var pending: [APIWatchEvent]
    private var iterator: WatchStream.Iterator?
    /// The revision of the last store event consumed (or the start revision).
    private var lastRevision: Revision
    /// Store events of `lastRevision` consumed so far (to skip on reopen).
    private var consumedAtLast = 0
    private var skip = 0
    private let deadline: ContinuousClock.Instant
    private let bookmarkInterval: Duration?
    /// Ends the watch when its client goes away.
    private let connectionClosed: ConnectionClosedSignal?
    private var nextBookmark: ContinuousClock.Instant
    private var finished = false
    private var finishWhenDrained = false

    init(store: any KeyValueStore, resource: KubeResource, prefix: String, filter: ObjectFilter,
         after revision: Revision, initial: [APIWatchEvent], deadline: ContinuousClock.Instant,
         bookmarkInterval: Duration?, connectionClosed: ConnectionClosedSignal? = nil) {
        self.store = store
        self.resource = resource
        self.prefix = prefix
        self.filter = filter
        self.lastRevision = revision
        self.pending = initial
        self.deadline = deadline
        self.bookmarkInterval = bookmarkInterval
        self.connectionClosed = connectionClosed
        self.nextBookmark = .now + (bookmarkInterval ?? .zero)
    }

    func finishAfterPending() { finishWhenDrained = true }

    static func expiredEvent(requested: Revision, compacted: Revision) -> APIWatchEvent {
        let error = APIError.expired("too old resource version: \(requested) (\(compacted))")
        return APIWatchEvent(type: .error, payload: .status(error.status))
    }

    private enum Step: Sendable {
        case event(WatchEvent?)
        case timer
        case failed(StoreError)
    }

    func next() async throws -> APIWatchEvent? {
        while true {
            if !pending.isEmpty { return pending.removeFirst() }
            if finished || finishWhenDrained || Task.isCancelled { return nil }
            if ContinuousClock.now >= deadline { finished = true; return nil }
            if iterator == nil {
                do {
                    try open()
                } catch let error as StoreError {
                    return finish(with: error)
                }
            }
            let wake = bookmarkInterval == nil ? deadline : min(deadline, nextBookmark)
            switch await race(until: wake) {
            case .event(nil):
                finished = true
                return nil
            case .event(let event?):
                if let converted = try consume(event) { return converted }
            case .failed(let error):
                return finish(with: error)
            case .timer:
                if Task.isCancelled || connectionClosed?.isFired == true || ContinuousClock.now >= deadline {
                    finished = true
                    return nil
                }
                nextBookmark = .now + (bookmarkInterval ?? .zero)
                return APIWatchEvent(type: .bookmark, payload: .bookmark(
                    kind: resource.kind, apiVersion: resource.apiVersion, resourceVersion: String(lastRevision)))
            }
        }
    }

    /// Opens the store watch right after what was consumed.
    private func open() throws {
        if consumedAtLast > 0 {
            iterator = try store.watch(.prefix(prefix), from: lastRevision, prevKV: true).makeAsyncIterator()
            skip = consumedAtLast
            consumedAtLast = 0
        } else {
            iterator = try store.watch(.prefix(prefix), from: lastRevision + 1, prevKV: true).makeAsyncIterator()
            skip = 0
        }
    }

    private func finish(with error: StoreError) -> APIWatchEvent? {
        finished = true
        iterator = nil
        if case .compacted(let compacted) = error {
            return Self.expiredEvent(requested: lastRevision, compacted: compacted)
        }
        return nil  // overflow or closed: a clean end makes the client re-watch from its last RV
    }

    /// Waits for the next store event or `wake`, whichever comes first. A timer win cancels
    /// the store watch (it is reopened by the next call); an event that arrived meanwhile is kept.
    private func race(until wake: ContinuousClock.Instant) async -> Step {
        let outcome = await WatchRace.next(until: wake, connectionClosed: connectionClosed) { [self] () -> Step? in
            do {
                var it = iterator!
                let event = try await it.next()
                iterator = it
                return .event(event)
            } catch let error as StoreError {
                return .failed(error)
            } catch {
                return .event(nil)
            }
        }
        switch outcome {
        case .value(let step):
            return step ?? .timer
        case .woke(let late):
            iterator = nil
            if case .event(let event?)? = late { return .event(event) }
            return .timer
        }
    }

    /// Accounts for a store event and converts it (nil when the selectors hide it).
    private func consume(_ event: WatchEvent) throws -> APIWatchEvent? {
        if event.revision == lastRevision {
            if skip > 0 {
                skip -= 1
                consumedAtLast += 1
                return nil
            }
            consumedAtLast += 1
        } else {
            lastRevision = event.revision
            consumedAtLast = 1
            skip = 0
        }
        return try convert(event)
    }

    /// The API event of a store event for this watch, if any: objects are tested and sent from
    /// their stored JSON, as the watch cache's are (decoded only for a table).
    private func convert(_ event: WatchEvent) throws -> APIWatchEvent? {
        let revision = event.revision
        let previous = event.prevKV.map { CachedObject(key: $0.key, value: $0.value, revision: revision) }
        let previousMatches = try previous.map { try filter.matches(cached: $0, as: resource) } ?? false
        if event.type == .put {
            let current = CachedObject(key: event.kv.key, value: event.kv.value, revision: revision)
            if try filter.matches(cached: current, as: resource) {
                return APIWatchEvent(type: previousMatches ? .modified : .added, payload: .cached(current, resource), source: current)
            }
        }
        guard previousMatches, let previous else { return nil }
        return APIWatchEvent(type: .deleted, payload: .cached(previous, resource), source: previous)
    }
}
