import NIOCore
import NIOHTTP2
import NIOPosix
import Synchronization

/// A gRPC client connection: one multiplexed, plaintext HTTP/2 connection over TCP or a Unix
/// domain socket, carrying every call as its own stream.
///
/// The connection lives inside ``run()``, which must be running for calls to make progress
/// (swift-service-lifecycle style): it connects when the first call needs it, reconnects on the
/// next call after the connection is lost, and returns after ``close()`` once the calls in flight
/// have finished, or at once when its task is cancelled. A call made while no connection can be
/// established fails with ``GRPCStatusCode/unavailable``; there is no automatic retry.
public final class GRPCConnection: Sendable {
    typealias Multiplexer = NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    private enum Phase {
        /// No connection; the next call asks ``run()`` for one.
        case idle
        /// ``run()`` is connecting; the promise completes when it has succeeded or failed.
        case connecting(EventLoopPromise<Void>)
        case ready(any Channel, Multiplexer)
        /// ``close()`` was called; the channel (if any) closes when the last call ends.
        case closing((any Channel)?)
        case closed
    }

    private struct State {
        var phase = Phase.idle
        var openCalls = 0
    }

    public let target: GRPCTarget
    /// The `:authority` of every request.
    public let authority: String
    private let group: any EventLoopGroup
    private let state = Mutex(State())
    private let connectRequests: AsyncStream<Void>
    private let connectRequestsContinuation: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - authority: the `:authority` header; defaults to `host:port` (TCP) or `localhost` (socket).
    ///   - group: the event loops the connection runs on.
    public init(
        target: GRPCTarget, authority: String? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.target = target
        self.authority = authority ?? target.defaultAuthority
        self.group = group
        (connectRequests, connectRequestsContinuation) = AsyncStream.makeStream()
    }

    /// Runs the connection until ``close()`` (graceful: calls in flight finish first) or until the
    /// calling task is cancelled (the connection closes at once, failing calls in flight).
    public func run() async throws {
        await withTaskCancellationHandler {
            for await _ in connectRequests {
                await connectAndServe()
            }
        } onCancel: {
            shutDownNow()
        }
        state.withLock { $0.phase = .closed }
    }

    /// Stops accepting calls and closes the connection once the calls in flight have finished;
    /// ``run()`` then returns. Idempotent.
    public func close() {
        let (channel, promise): ((any Channel)?, EventLoopPromise<Void>?) = state.withLock { state in
            switch state.phase {
            case .ready(let channel, _):
                state.phase = .closing(channel)
                return (state.openCalls == 0 ? channel : nil, nil)
            case .connecting(let promise):
                state.phase = .closing(nil)
                return (nil, promise)
            case .idle:
                state.phase = .closed
                return (nil, nil)
            case .closing, .closed:
                return (nil, nil)
            }
        }
        promise?.fail(closedError)
        channel?.close(promise: nil)
        connectRequestsContinuation.finish()
    }

    private var closedError: GRPCError {
        GRPCError(code: .unavailable, message: "the connection to \(target) is closed")
    }

    /// Closes everything now (``run()`` was cancelled).
    private func shutDownNow() {
        let (channel, promise): ((any Channel)?, EventLoopPromise<Void>?) = state.withLock { state in
            defer { state.phase = .closed }
            switch state.phase {
            case .ready(let channel, _), .closing(let channel?): return (channel, nil)
            case .connecting(let promise): return (nil, promise)
            case .idle, .closing(nil), .closed: return (nil, nil)
            }
        }
        promise?.fail(closedError)
        channel?.close(promise: nil)
        connectRequestsContinuation.finish()
    }

    /// Answers one connect request: connects, publishes the connection, and waits until it closes.
    private func connectAndServe() async {
        guard let promise = state.withLock({ state -> EventLoopPromise<Void>? in
            if case .connecting(let promise) = state.phase { return promise }
            return nil
        }) else { return }
        let channel: any Channel
        let multiplexer: Multiplexer
        do {
            (channel, multiplexer) = try await connect()
        } catch {
            // Whoever moves the phase away from `.connecting` completes the promise.
            let failed = state.withLock { state in
                guard case .connecting = state.phase else { return false }
                state.phase = .idle
                return true
            }
            if failed { promise.fail(GRPCError(code: .unavailable, message: "cannot connect to \(target): \(error)")) }
            return
        }
        let published = state.withLock { state in
            guard case .connecting = state.phase else { return false }
            state.phase = .ready(channel, multiplexer)
            return true
        }
        guard published else {
            try? await channel.close()
            return
        }
        promise.succeed()
        try? await channel.closeFuture.get()
        state.withLock { state in
            if case .ready(let current, _) = state.phase, current === channel { state.phase = .idle }
        }
    }

    private func connect() async throws -> (any Channel, Multiplexer) {
        let bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(10))
        let initializer: @Sendable (any Channel) -> EventLoopFuture<(any Channel, Multiplexer)> = { channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                // In front of the HTTP/2 handler (see ServerPingResponder).
                try pipeline.addHandler(ServerPingResponder())
                let multiplexer = try pipeline.configureAsyncHTTP2Pipeline(
                    mode: .client, configuration: Self.http2Configuration,
                    streamInitializer: { $0.eventLoop.makeSucceededVoidFuture() })
                return (channel, multiplexer)
            }
        }
        switch target {
        case .tcp(let host, let port):
            return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
        case .unixDomainSocket(let path):
            return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        }
    }

    /// 8 MiB flow-control windows (as grpc-swift), so large responses are not throttled by
    /// HTTP/2's 64 KiB default.
    private static let http2Configuration: NIOHTTP2Handler.Configuration = {
        let window = 8 << 20
        var configuration = NIOHTTP2Handler.Configuration()
        configuration.connection.initialSettings = nioDefaultSettings + [
            HTTP2Setting(parameter: .initialWindowSize, value: window),
        ]
        configuration.connection.targetWindowSize = window
        configuration.stream.targetWindowSize = window
        return configuration
    }()

    // MARK: - Calls

    /// The multiplexer of the current connection (connecting first if needed), counting the call
    /// as open until ``releaseMultiplexer()``.
    func acquireMultiplexer() async throws -> Multiplexer {
        enum Next {
            case ready(Multiplexer)
            case wait(EventLoopFuture<Void>, requestConnection: Bool)
            case closed
        }
        while true {
            let next: Next = state.withLock { state in
                switch state.phase {
                case .ready(_, let multiplexer):
                    state.openCalls += 1
                    return .ready(multiplexer)
                case .connecting(let promise):
                    return .wait(promise.futureResult, requestConnection: false)
                case .idle:
                    let promise = group.next().makePromise(of: Void.self)
                    state.phase = .connecting(promise)
                    return .wait(promise.futureResult, requestConnection: true)
                case .closing, .closed:
                    return .closed
                }
            }
            switch next {
            case .ready(let multiplexer):
                return multiplexer
            case .closed:
                throw closedError
            case .wait(let connected, let requestConnection):
                if requestConnection { connectRequestsContinuation.yield() }
                try await connected.get()
            }
        }
    }

    /// Ends a call begun with ``acquireMultiplexer()``; the last one closes a closing connection.
    func releaseMultiplexer() {
        let channel: (any Channel)? = state.withLock { state in
            state.openCalls -= 1
            guard state.openCalls == 0, case .closing(let channel) = state.phase else { return nil }
            return channel
        }
        channel?.close(promise: nil)
    }
}
