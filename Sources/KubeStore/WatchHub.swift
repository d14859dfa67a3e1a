import Synchronization

/// In-process fan-out of committed changes to watchers.
///
/// Backends call ``publish(_:)`` after each commit, in revision order, with nothing published
/// twice. ``register(bounds:prevKV:from:)`` atomically (under the hub lock) records the last
/// published revision `upTo` and adds the watcher, which from then on receives every published
/// revision `> upTo`; the caller reads revisions `from...upTo` from history. Since history up to
/// `upTo` is committed before `upTo` is published, the two parts meet without gap or overlap.
final class WatchHub: Sendable {
    typealias Live = AsyncThrowingStream<[WatchEvent], any Error>

    private struct Watcher {
        var bounds: KeyBounds
        var prevKV: Bool
        var minRevision: Revision
        var continuation: Live.Continuation
    }

    private struct State {
        var lastPublished: Revision
        var watchers: [UInt64: Watcher] = [:]
        var nextID: UInt64 = 0
        var closed = false
    }

    private let state: Mutex<State>
    /// Maximum number of undelivered revisions buffered per watcher.
    let bufferLimit: Int

    init(revision: Revision, bufferLimit: Int) {
        state = Mutex(State(lastPublished: revision))
        self.bufferLimit = bufferLimit
    }

    var watcherCount: Int { state.withLock { $0.watchers.count } }
    var lastPublished: Revision { state.withLock { $0.lastPublished } }

    /// Adds a watcher for changes with revision `>= from` (`from == 0`: after `upTo`).
    /// Returns its live stream and `upTo`, the last revision it will *not* receive live.
    func register(bounds: KeyBounds, prevKV: Bool, from: Revision) throws -> (live: Live, upTo: Revision) {
        let (stream, continuation) = Live.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
        let result: (id: UInt64, upTo: Revision)? = state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextID
            state.nextID += 1
            let upTo = state.lastPublished
            state.watchers[id] = Watcher(
                bounds: bounds, prevKV: prevKV, minRevision: from == 0 ? upTo + 1 : from,
                continuation: continuation)
            return (id, upTo)
        }
        guard let result else {
            continuation.finish(throwing: StoreError.closed)
            throw StoreError.closed
        }
        continuation.onTermination = { [weak self] _ in self?.remove(result.id) }
        return (stream, result.upTo)
    }

    private func remove(_ id: UInt64) {
        _ = state.withLock { $0.watchers.removeValue(forKey: id) }
    }

    /// Delivers committed changes: one `(revision, events)` entry per revision, ascending.
    /// Revisions without events (nothing to deliver) may be omitted; `through` advances the
    /// published revision regardless.
    func publish(_ revisions: [(revision: Revision, events: [WatchEvent])], through: Revision) {
        var overflowed: [Live.Continuation] = []
        state.withLock { state in
            for (revision, events) in revisions where !events.isEmpty {
                for (id, watcher) in state.watchers where revision >= watcher.minRevision {
                    var selected: [WatchEvent] = []
                    for event in events where watcher.bounds.contains(event.kv.key) {
                        var event = event
                        if !watcher.prevKV { event.prevKV = nil }
                        selected.append(event)
                    }
                    guard !selected.isEmpty else { continue }
                    switch watcher.continuation.yield(selected) {
                    case .enqueued: break
                    case .dropped:
                        overflowed.append(watcher.continuation)
                        state.watchers[id] = nil
                    case .terminated:
                        state.watchers[id] = nil
                    @unknown default: break
                    }
                }
            }
            state.lastPublished = max(state.lastPublished, through)
        }
        // Finish outside the lock: onTermination re-enters `remove`.
        for continuation in overflowed { continuation.finish(throwing: StoreError.watcherOverflow) }
    }

    /// Ends every watcher with `.closed`; later registrations fail.
    func close() {
        let continuations = state.withLock { state in
            state.closed = true
            defer { state.watchers = [:] }
            return state.watchers.values.map(\.continuation)
        }
        for continuation in continuations { continuation.finish(throwing: StoreError.closed) }
    }
}
