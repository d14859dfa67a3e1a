import HTTP2Client
import NIOCore
import NIOPosix

/// Where a ``GRPCConnection`` connects.
public typealias GRPCTarget = HTTP2Target

/// A gRPC client connection: one multiplexed HTTP/2 connection (``HTTP2Connection``) over TCP or
/// a Unix domain socket, carrying every call as its own stream.
///
/// The connection lives inside ``run()``, which must be running for calls to make progress
/// (swift-service-lifecycle style): it connects when the first call needs it, reconnects on the
/// next call after the connection is lost, and returns after ``close()`` once the calls in flight
/// have finished, or at once when its task is cancelled. A call made while no connection can be
/// established fails with ``GRPCStatusCode/unavailable``; there is no automatic retry.
public final class GRPCConnection: Sendable {
    public var target: GRPCTarget { connection.target }
    /// The `:authority` of every request.
    public let authority: String
    let connection: HTTP2Connection

    /// - Parameters:
    ///   - authority: the `:authority` header; defaults to `host:port` (TCP) or `localhost` (socket).
    ///   - tls: TLS for the connection, nil for plaintext.
    ///   - group: the event loops the connection runs on.
    public init(
        target: GRPCTarget, authority: String? = nil, tls: HTTP2TLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.authority = authority ?? target.defaultAuthority
        connection = HTTP2Connection(target: target, tls: tls, group: group)
    }

    /// Runs the connection until ``close()`` (graceful: calls in flight finish first) or until the
    /// calling task is cancelled (the connection closes at once, failing calls in flight).
    public func run() async throws {
        try await connection.run()
    }

    /// Stops accepting calls and closes the connection once the calls in flight have finished;
    /// ``run()`` then returns. Idempotent.
    public func close() {
        connection.close()
    }
}
