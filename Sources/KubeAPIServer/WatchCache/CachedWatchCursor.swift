import Foundation
import KubeModel
import KubeStore

/// An API watch served by the ``WatchCache``, advanced by its single consumer through
/// ``APIWatchStream`` (calls are serial, never concurrent, hence `@unchecked`).
///
/// It sends the initial events (a snapshot as ADDED, or the replayed window), then the
/// subscription's live events, turned into API events through the selectors (an object that
/// starts or stops matching is ADDED or DELETED). Each call returns every event ready, up to
/// ``batchLimit``. While idle it waits on the subscription until the deadline or the next
/// bookmark, which the cache's clock ends; the client's leaving wakes it at once.
final class CachedWatchCursor: @unchecked Sendable {
    /// Events per batch at most (one write to the client).
    static let batchLimit = 500

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
    private let wakeToken: Int?
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
        let subscription = handle.subscription
        wakeToken = connectionClosed?.onFire { subscription.wake() }
    }

    deinit {
        if let wakeToken { connectionClosed?.cancelOnFire(wakeToken) }
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

    /// The next events (at least one, at most ``batchLimit``), or nil once the watch ended.
    func nextBatch() async throws -> [APIWatchEvent]? {
        while true {
            if pendingIndex < pending.count {
                let end = min(pending.count, pendingIndex + Self.batchLimit)
                defer { pendingIndex = end }
                return Array(pending[pendingIndex..<end])
            }
            if replayIndex < replay.count {
                let end = min(replay.count, replayIndex + Self.batchLimit)
                var batch: [APIWatchEvent] = []
                for event in replay[replayIndex..<end] {
                    if let converted = try convert(event) { batch.append(converted) }
                }
                replayIndex = end
                if !batch.isEmpty { return batch }
                continue
            }
            if finished || Task.isCancelled || connectionClosed?.isFired == true { return nil }
            if ContinuousClock.now >= deadline {
                finished = true
                return nil
            }
            let wake = bookmarkInterval == nil ? deadline : min(deadline, nextBookmark)
            switch await handle.subscription.take(limit: Self.batchLimit, until: wake) {
            case .ended:
                finished = true
                return nil
            case .events(let events):
                var batch: [APIWatchEvent] = []
                batch.reserveCapacity(events.count)
                for event in events where event.revision > skipThrough {
                    if let converted = try convert(event) { batch.append(converted) }
                }
                if !batch.isEmpty { return batch }
            case .woken:
                if Task.isCancelled || connectionClosed?.isFired == true || ContinuousClock.now >= deadline {
                    finished = true
                    return nil
                }
                guard bookmarkInterval != nil, ContinuousClock.now >= nextBookmark,
                      let revision = handle.subscription.bookmarkRevision() else { continue }
                nextBookmark = .now + (bookmarkInterval ?? .zero)
                return [APIWatchEvent(type: .bookmark, payload: .bookmark(
                    kind: resource.kind, apiVersion: resource.apiVersion, resourceVersion: String(revision)))]
            }
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
