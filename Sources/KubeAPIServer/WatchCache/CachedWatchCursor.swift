import Foundation
import KubeModel
import KubeStore

/// An API watch served by the ``WatchCache``, advanced by its single consumer through
/// `AsyncThrowingStream(unfolding:)` (calls are serial, never concurrent, hence `@unchecked`).
///
/// It sends the initial events (a snapshot as ADDED, or the replayed window), then the
/// subscription's live events, turned into API events through the selectors (an object that
/// starts or stops matching is ADDED or DELETED). It races the subscription against a timer for
/// the deadline and idle bookmarks; the subscription loses nothing when the timer wins.
final class CachedWatchCursor: @unchecked Sendable {
    private let handle: WatchSubscriptionHandle
    private let resource: KubeResource
    private let filter: ObjectFilter
    private var pending: [APIWatchEvent]
    private var pendingIndex = 0
    private var replay: [CachedEvent]
    private var replayIndex = 0
    /// Live events at or below this revision were already covered (a watch from a future revision).
    private let skipThrough: Revision
    private let deadline: ContinuousClock.Instant
    private let bookmarkInterval: Duration?
    /// Ends the watch when its client goes away.
    private let connectionClosed: ConnectionClosedSignal?
    private var nextBookmark: ContinuousClock.Instant
    private var finished = false

    init(handle: WatchSubscriptionHandle, resource: KubeResource, filter: ObjectFilter,
         initial: [APIWatchEvent], replay: [CachedEvent], skipThrough: Revision,
         deadline: ContinuousClock.Instant, bookmarkInterval: Duration?,
         connectionClosed: ConnectionClosedSignal? = nil) {
        self.handle = handle
        self.resource = resource
        self.filter = filter
        self.pending = initial
        self.replay = replay
        self.skipThrough = skipThrough
        self.deadline = deadline
        self.bookmarkInterval = bookmarkInterval
        self.connectionClosed = connectionClosed
        self.nextBookmark = .now + (bookmarkInterval ?? .zero)
    }

    /// ADDED events for a snapshot's matching objects, in key order.
    static func initialEvents(_ objects: [CachedObject], resource: KubeResource,
                              filter: ObjectFilter) throws -> [APIWatchEvent] {
        var events: [APIWatchEvent] = []
        for cached in objects.sorted(by: { $0.key < $1.key }) where try filter.matches(cached: cached, as: resource) {
            events.append(APIWatchEvent(type: .added, payload: .cached(cached, resource), source: cached))
        }
        return events
    }

    private enum Step: Sendable {
        case event(CachedEvent)
        case ended
        case timer
    }

    func next() async throws -> APIWatchEvent? {
        while true {
            if pendingIndex < pending.count {
                pendingIndex += 1
                return pending[pendingIndex - 1]
            }
            if replayIndex < replay.count {
                replayIndex += 1
                if let converted = try convert(replay[replayIndex - 1]) { return converted }
                continue
            }
            if finished || Task.isCancelled { return nil }
            if ContinuousClock.now >= deadline {
                finished = true
                return nil
            }
            let wake = bookmarkInterval == nil ? deadline : min(deadline, nextBookmark)
            switch await race(until: wake) {
            case .ended:
                finished = true
                return nil
            case .event(let event):
                if event.revision <= skipThrough { continue }
                if let converted = try convert(event) { return converted }
            case .timer:
                if Task.isCancelled || connectionClosed?.isFired == true || ContinuousClock.now >= deadline {
                    finished = true
                    return nil
                }
                guard let revision = handle.subscription.bookmarkRevision() else { continue }
                nextBookmark = .now + (bookmarkInterval ?? .zero)
                return APIWatchEvent(type: .bookmark, payload: .bookmark(
                    kind: resource.kind, apiVersion: resource.apiVersion, resourceVersion: String(revision)))
            }
        }
    }

    /// The next live event or `wake`, whichever comes first; an event taken while the timer won
    /// is kept.
    private func race(until wake: ContinuousClock.Instant) async -> Step {
        let subscription = handle.subscription
        let outcome = await WatchRace.next(until: wake, connectionClosed: connectionClosed) { () -> Step? in
            switch await subscription.next() {
            case .event(let event): .event(event)
            case .ended: .ended
            case .interrupted: nil
            }
        }
        switch outcome {
        case .value(let step), .woke(let step): return step ?? .timer
        }
    }

    /// The API event a cached change is for this watch, if any. Objects are tested from their
    /// stored JSON and sent as it; nothing is decoded unless a table is asked for.
    private func convert(_ event: CachedEvent) throws -> APIWatchEvent? {
        let previousMatches: Bool
        if let previous = event.previous {
            previousMatches = try filter.matches(cached: previous, as: resource)
        } else {
            previousMatches = false
        }
        if event.kind == .put, let current = event.current, try filter.matches(cached: current, as: resource) {
            return APIWatchEvent(type: previousMatches ? .modified : .added, payload: .cached(current, resource), source: current)
        }
        guard previousMatches, let previous = event.previous else { return nil }
        return APIWatchEvent(type: .deleted, payload: .cached(previous, resource), source: previous)
    }
}
