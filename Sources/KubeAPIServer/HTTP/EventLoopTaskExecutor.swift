import NIOCore

/// A task executor that runs every job on one event loop. The task answering an HTTP/2 request
/// prefers one loop (``RequestExecutors``), so that work resumed from elsewhere (a store commit,
/// a watch event) comes back to that thread instead of staying on whichever thread resumed it.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
