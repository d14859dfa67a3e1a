import NIOCore
import NIOPosix

/// The thread a ``Scheduler`` runs its cycles on unless configured otherwise (`skiff server`'s
/// in-process scheduler does): an event loop of its own, so scheduling
/// competes with the process's network I/O only for CPU (as kube-scheduler's scheduling
/// goroutine does), never for the event loop threads that I/O is bound to. It lives as long as
/// the process, like NIO's shared event loop group.
enum SchedulingThread {
    static let executor: any SerialExecutor = MultiThreadedEventLoopGroup(numberOfThreads: 1).next().executor
}
