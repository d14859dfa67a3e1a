import NIOCore

/// A task executor that runs every job on one event loop. The tasks answering an HTTP/2
/// connection's requests prefer the connection's loop, so that work resumed from elsewhere (a
/// store commit, a watch event) comes back to the thread that writes the response, instead of
/// staying on whichever thread resumed it.
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
