import NIOCore
import NIOPosix
import Synchronization

/// The event loops the API server answers HTTP/2 requests on, handed out in turn. A connection's
/// requests used to run on the connection's own loop, which saved a hop per response; but with
/// only a few busy clients (a scheduler binding pods and writing their events, thousands of
/// kubelets sharing one connection) most of the work landed on one loop while the other waited.
/// Spread over every loop, the benchmark's default phase ran about a tenth faster
/// (docs/performance.md, session 22).
final class RequestExecutors: Sendable {
    /// The loops of NIO's shared group, which Hummingbird serves connections on.
    static let shared = RequestExecutors(MultiThreadedEventLoopGroup.singleton)

    private let executors: [EventLoopTaskExecutor]
    private let turn = Atomic<Int>(0)

    init(_ group: MultiThreadedEventLoopGroup) {
        executors = group.makeIterator().map(EventLoopTaskExecutor.init)
    }

    /// Whether `loop` is one of these (a connection of another group keeps its own loop).
    func includes(_ loop: any EventLoop) -> Bool {
        executors.contains { $0.eventLoop === loop }
    }

    /// The executor whose turn it is.
    func next() -> EventLoopTaskExecutor {
        executors[turn.wrappingAdd(1, ordering: .relaxed).oldValue % executors.count]
    }
}
