import Synchronization

/// Leader-based group commit. Writers enqueue requests; the writer that finds no commit in flight
/// becomes the leader, takes the queued requests (up to `maxBatch`) and hands them to `commit`,
/// which applies them in order in one transaction with one fsync. The leader then resumes every
/// waiter of the batch and passes leadership to the oldest still-queued writer (so no caller
/// keeps committing for others forever). No extra task or thread is involved.
final class GroupCommitter<Request: Sendable, Response: Sendable>: Sendable {
    typealias Commit = @Sendable ([Request]) async -> [Result<Response, StoreError>]

    private struct Pending {
        var request: Request
        var waiter: Waiter
    }

    private struct State {
        var queue: [Pending] = []
        var leading = false
    }

    private let state = Mutex(State())
    private let maxBatch: Int

    init(maxBatch: Int = 512) {
        self.maxBatch = maxBatch
    }

    /// Submits one request and waits until its batch is committed (not cancellable: once
    /// submitted, a write is either acknowledged or fails). If this caller becomes the leader it
    /// runs `commit` for a batch (every caller passes the same function).
    func submit(_ request: Request, commit: Commit) async throws(StoreError) -> Response {
        let waiter = Waiter()
        var isLeader = state.withLock { state in
            state.queue.append(Pending(request: request, waiter: waiter))
            if state.leading { return false }
            state.leading = true
            return true
        }
        while true {
            if isLeader {
                await commitOneBatch(commit)
                let next: Waiter? = state.withLock { state in
                    guard let first = state.queue.first else {
                        state.leading = false
                        return nil
                    }
                    return first.waiter
                }
                next?.deliver(.lead)
                isLeader = false
            }
            switch await waiter.wait() {
            case .done(let result): return try result.get()
            case .lead: isLeader = true
            }
        }
    }

    private func commitOneBatch(_ commit: Commit) async {
        let batch: [Pending] = state.withLock { state in
            let count = min(state.queue.count, maxBatch)
            defer { state.queue.removeFirst(count) }
            return Array(state.queue.prefix(count))
        }
        guard !batch.isEmpty else { return }
        let results = await commit(batch.map(\.request))
        for (pending, result) in zip(batch, results) {
            pending.waiter.deliver(.done(result))
        }
    }

    private enum Signal: Sendable {
        case done(Result<Response, StoreError>)
        case lead
    }

    /// A single-consumer mailbox of signals.
    private final class Waiter: Sendable {
        private struct Box {
            var ready: [Signal] = []
            var continuation: CheckedContinuation<Signal, Never>?
        }

        private let box = Mutex(Box())

        func deliver(_ signal: Signal) {
            let continuation: CheckedContinuation<Signal, Never>? = box.withLock { box in
                if let continuation = box.continuation {
                    box.continuation = nil
                    return continuation
                }
                box.ready.append(signal)
                return nil
            }
            continuation?.resume(returning: signal)
        }

        func wait() async -> Signal {
            await withCheckedContinuation { continuation in
                let ready: Signal? = box.withLock { box in
                    if !box.ready.isEmpty { return box.ready.removeFirst() }
                    box.continuation = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }
}
