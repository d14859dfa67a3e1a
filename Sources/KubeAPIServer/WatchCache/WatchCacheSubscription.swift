import KubeStore
import Synchronization

/// The live events of one cached watch: the cache pushes (never blocking), the watch's single
/// consumer pulls. The buffer is bounded; a consumer that falls that far behind is ended, and its
/// client re-watches from the last resourceVersion it saw, as with upstream's watch cache.
final class WatchCacheSubscription: Sendable {
    enum Next: Sendable {
        case event(CachedEvent)
        /// The subscription ended: the consumer fell behind, or the cache started over.
        case ended
        /// The waiting task was cancelled; the subscription stays open and loses nothing.
        case interrupted
    }

    /// Keys this subscription receives (a resource or one namespace of it).
    let prefix: String
    private let capacity: Int

    private struct State {
        var buffer: [CachedEvent] = []
        var head = 0
        var ended = false
        var waiter: CheckedContinuation<Next, Never>?
        /// Every event up to this revision has been pushed (the resourceVersion a bookmark may carry).
        var progress: Revision
    }
    private let state: Mutex<State>

    init(prefix: String, capacity: Int, progress: Revision) {
        self.prefix = prefix
        self.capacity = capacity
        state = Mutex(State(progress: progress))
    }

    enum PushOutcome: Sendable {
        case open
        /// The buffer was full: the subscription ended now, its consumer having fallen behind.
        case overflowed
        /// The subscription had ended before.
        case ended
    }

    /// Adds an event (or only records progress when the key is not ours). A subscription that
    /// overflowed now or ended earlier should be dropped.
    func push(_ event: CachedEvent) -> PushOutcome {
        let matches = event.key.hasPrefix(prefix)
        let (waiter, outcome): (CheckedContinuation<Next, Never>?, PushOutcome) = state.withLock { state in
            guard !state.ended else { return (nil, .ended) }
            state.progress = max(state.progress, event.revision)
            guard matches else { return (nil, .open) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (waiter, .open)
            }
            if state.buffer.count - state.head >= capacity {
                state.ended = true
                state.buffer = []
                state.head = 0
                return (nil, .overflowed)
            }
            state.buffer.append(event)
            return (nil, .open)
        }
        waiter?.resume(returning: .event(event))
        return outcome
    }

    /// Ends the subscription; the consumer gets the buffered events, then `.ended`.
    func end() {
        let waiter = state.withLock { state -> CheckedContinuation<Next, Never>? in
            state.ended = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: .ended)
    }

    /// The next event, waiting for one; `.interrupted` when the calling task is cancelled.
    func next() async -> Next {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Next, Never>) in
                let ready: Next? = state.withLock { state in
                    if state.head < state.buffer.count {
                        let event = state.buffer[state.head]
                        state.head += 1
                        if state.head >= 1024 && state.head * 2 >= state.buffer.count {
                            state.buffer.removeFirst(state.head)
                            state.head = 0
                        }
                        return .event(event)
                    }
                    if state.ended { return .ended }
                    if Task.isCancelled { return .interrupted }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Next, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: .interrupted)
        }
    }

    /// The resourceVersion an idle bookmark may carry now: nil while events are still buffered.
    func bookmarkRevision() -> Revision? {
        state.withLock { $0.head < $0.buffer.count ? nil : $0.progress }
    }
}
