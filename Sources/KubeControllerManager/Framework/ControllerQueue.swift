import KubeClient
import Logging

/// The work queue of one controller and its workers: informer handlers (which must not wait)
/// call ``add(_:)`` or ``addAfter(_:_:)``; ``run(workers:reconcile:)`` hands each key to
/// `reconcile`, one worker per key at a time, retrying a failed key with the queue's rate
/// limiter (5 ms doubling to 1,000 s, as upstream's controllers) and forgetting its failures
/// after a success.
public final class ControllerQueue: Sendable {
    public let name: String
    public let queue: WorkQueue<String>
    private let logger: Logger
    private let requests: AsyncStream<Request>
    private let sink: AsyncStream<Request>.Continuation

    private enum Request: Sendable {
        case add(String)
        case addAfter(String, Duration)
    }

    public init(name: String, logger: Logger,
                rateLimiter: any RateLimiter<String> = MaxOfRateLimiter<String>.controllerDefault) {
        self.name = name
        self.logger = logger
        queue = WorkQueue(rateLimiter: rateLimiter)
        (requests, sink) = AsyncStream.makeStream(of: Request.self)
    }

    /// Queues `key` (`namespace/name`, or `name` for cluster-scoped objects).
    public func add(_ key: String) { sink.yield(.add(key)) }

    /// Queues `key` once `delay` has passed.
    public func addAfter(_ key: String, _ delay: Duration) { sink.yield(.addAfter(key, delay)) }

    /// Runs `workers` workers until the task is cancelled. A `reconcile` that throws has its key
    /// retried later; ``RequeueAfter`` asks for a later pass without counting a failure.
    public func run(workers: Int, reconcile: @escaping @Sendable (String) async throws -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await request in self.requests {
                    switch request {
                    case .add(let key): await self.queue.add(key)
                    case .addAfter(let key, let delay): await self.queue.addAfter(key, delay)
                    }
                }
            }
            for _ in 0..<max(1, workers) {
                group.addTask { await self.work(reconcile) }
            }
            await group.next()
            group.cancelAll()
        }
    }

    private func work(_ reconcile: @Sendable (String) async throws -> Void) async {
        while let key = await queue.get() {
            do {
                try await reconcile(key)
                await queue.forget(key)
            } catch let requeue as RequeueAfter {
                await queue.forget(key)
                await queue.addAfter(key, requeue.delay)
            } catch where error is CancellationError || Task.isCancelled {
                await queue.done(key)
                return
            } catch {
                let retries = await queue.retries(key)
                if retries < 3 || retries % 10 == 0 {
                    logger.warning("sync failed; retrying", metadata: [
                        "controller": "\(name)", "key": "\(key)", "error": "\(error)", "retries": "\(retries)",
                    ])
                }
                await queue.addRateLimited(key)
            }
            await queue.done(key)
        }
    }
}

/// Thrown by a reconcile that is not finished and wants another pass after `delay` (a
/// deadline, a grace period, a backoff) without it counting as a failure.
public struct RequeueAfter: Error, Sendable {
    public var delay: Duration
    public init(_ delay: Duration) { self.delay = delay }
}
