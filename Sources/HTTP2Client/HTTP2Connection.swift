import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import OpenSSLTLS
import Synchronization

/// One multiplexed HTTP/2 client connection over TCP (plaintext or TLS) or a Unix domain
/// socket, carrying every request as its own stream. gRPC (etcd, containerd) and the Kubernetes
/// REST client both ride on it.
///
/// The connection lives inside ``run()``, which must be running for requests to make progress
/// (swift-service-lifecycle style): it connects when the first request needs it, reconnects on
/// the next request after the connection is lost, and returns after ``close()`` once the
/// requests in flight have finished, or at once when its task is cancelled. A request made
/// while no connection can be established fails with ``HTTP2ConnectionError``; there is no
/// automatic retry at this level.
public final class HTTP2Connection: Sendable {
    typealias Table = NIOLoopBound<HTTP2StreamTable>

    private enum Phase {
        /// No connection; the next call asks ``run()`` for one.
        case idle
        /// ``run()`` is connecting; the promise completes when it has succeeded or failed.
        case connecting(EventLoopPromise<Void>)
        /// Connected; `released` completes when the connection closes or the server sent GOAWAY
        /// (``run()`` is then free to make the next one).
        case ready(any Channel, Table, released: EventLoopPromise<Void>)
        /// ``close()`` was called; the channel (if any) closes when the last call ends.
        case closing((any Channel)?)
        case closed
    }

    private struct State {
        var phase = Phase.idle
        var openCalls = 0
    }

    public let target: HTTP2Target
    /// TLS for the connection (its configuration must offer ALPN `h2`); nil for plaintext.
    public let tls: HTTP2TLS?
    private let group: any EventLoopGroup
    private let state = Mutex(State())
    private let connectRequests: AsyncStream<Void>
    private let connectRequestsContinuation: AsyncStream<Void>.Continuation

    /// - Parameters:
    ///   - tls: TLS settings, nil for plaintext HTTP/2 (h2c with prior knowledge).
    ///   - group: the event loops the connection runs on.
    public init(
        target: HTTP2Target, tls: HTTP2TLS? = nil,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.target = target
        self.tls = tls
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
            case .ready(let channel, _, _):
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

    private var closedError: HTTP2ConnectionError {
        HTTP2ConnectionError(message: "the connection to \(target) is closed")
    }

    /// Closes everything now (``run()`` was cancelled).
    private func shutDownNow() {
        let (channel, promise): ((any Channel)?, EventLoopPromise<Void>?) = state.withLock { state in
            defer { state.phase = .closed }
            switch state.phase {
            case .ready(let channel, _, _), .closing(let channel?): return (channel, nil)
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
        let table: Table
        do {
            (channel, table) = try await connect()
        } catch {
            // Whoever moves the phase away from `.connecting` completes the promise.
            let failed = state.withLock { state in
                guard case .connecting = state.phase else { return false }
                state.phase = .idle
                return true
            }
            if failed { promise.fail(HTTP2ConnectionError(message: "cannot connect to \(target): \(error)")) }
            return
        }
        let released = channel.eventLoop.makePromise(of: Void.self)
        channel.closeFuture.cascade(to: released)
        let published = state.withLock { state in
            guard case .connecting = state.phase else { return false }
            state.phase = .ready(channel, table, released: released)
            return true
        }
        guard published else {
            try? await channel.close()
            return
        }
        promise.succeed()
        try? await released.futureResult.get()
        state.withLock { state in
            if case .ready(let current, _, _) = state.phase, current === channel { state.phase = .idle }
        }
    }

    private func connect() async throws -> (any Channel, Table) {
        let bootstrap = ClientBootstrap(group: group).connectTimeout(.seconds(10))
        let tls = tls
        let initializer: @Sendable (any Channel) -> EventLoopFuture<(any Channel, Table)> = { [weak self] channel in
            channel.eventLoop.makeCompletedFuture {
                let pipeline = channel.pipeline.syncOperations
                if let tls {
                    try pipeline.addHandler(TLSHandler(context: tls.context, serverHostname: tls.serverHostname))
                }
                // In front of the HTTP/2 handler (see ServerPingResponder).
                try pipeline.addHandler(ServerPingResponder())
                let configuration = Self.http2Configuration
                try pipeline.addHandler(NIOHTTP2Handler(
                    mode: .client,
                    connectionConfiguration: configuration.connection, streamConfiguration: configuration.stream))
                let table = HTTP2StreamTable(targetWindow: configuration.connection.targetWindowSize) {
                    self?.drain(channel)
                }
                try pipeline.addHandler(table)
                return (channel, NIOLoopBound(table, eventLoop: channel.eventLoop))
            }
        }
        switch target {
        case .tcp(let host, let port):
            return try await bootstrap.connect(host: host, port: port, channelInitializer: initializer)
        case .unixDomainSocket(let path):
            return try await bootstrap.connect(unixDomainSocketPath: path, channelInitializer: initializer)
        }
    }

    /// The server sent GOAWAY on `channel`: the next call connects anew while the calls in
    /// flight finish on the old connection (which then closes).
    private func drain(_ channel: any Channel) {
        let released = state.withLock { state -> EventLoopPromise<Void>? in
            guard case .ready(let current, _, let released) = state.phase, current === channel else { return nil }
            state.phase = .idle
            return released
        }
        released?.succeed()
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

    // MARK: - Streams

    /// Opens a stream (connecting first if needed) with `headers` and runs `body` with its
    /// inbound frames and a writer for the rest of the request; the stream is reset if it is
    /// still open when `body` returns or throws. Fails with ``HTTP2ConnectionError`` when no
    /// connection or stream can be had (nothing was sent).
    public func withStream<Result>(
        headers: HPACKHeaders, endStream: Bool = false,
        _ body: (HTTP2StreamInbound, HTTP2StreamOutbound) async throws -> Result
    ) async throws -> Result {
        let table = try await acquireTable()
        defer { releaseTable() }
        let loop = table.eventLoop
        let (inbound, exchange) = try await loop.submit { () throws -> (HTTP2StreamInbound, NIOLoopBound<HTTP2StreamingExchange>) in
            let exchange = HTTP2StreamingExchange(table: table.value)
            let box = NIOLoopBound(exchange, eventLoop: loop)
            guard let inbound = exchange.open(headers: headers, endStream: endStream, box: box) else {
                throw HTTP2ConnectionError(message: "cannot open a stream to \(self.target): the connection takes no new streams")
            }
            return (inbound, box)
        }.get()
        defer { loop.execute { exchange.value.finish() } }
        return try await body(inbound, HTTP2StreamOutbound(exchange: exchange))
    }

    /// The stream table of the current connection (connecting first if needed), counting the
    /// call as open until ``releaseTable()``.
    func acquireTable() async throws -> Table {
        enum Next {
            case ready(Table)
            case wait(EventLoopFuture<Void>, requestConnection: Bool)
            case closed
        }
        while true {
            let next: Next = state.withLock { state in
                switch state.phase {
                case .ready(_, let table, _):
                    state.openCalls += 1
                    return .ready(table)
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
            case .ready(let table):
                return table
            case .closed:
                throw closedError
            case .wait(let connected, let requestConnection):
                if requestConnection { connectRequestsContinuation.yield() }
                try await connected.get()
            }
        }
    }

    /// Ends a call begun with ``acquireTable()``; the last one closes a closing connection.
    func releaseTable() {
        let channel: (any Channel)? = state.withLock { state in
            state.openCalls -= 1
            guard state.openCalls == 0, case .closing(let channel) = state.phase else { return nil }
            return channel
        }
        channel?.close(promise: nil)
    }
}

extension HTTP2Connection {
    /// Sends one request (its headers and optional body) on a new stream and returns the whole
    /// response. Fails with ``HTTP2ConnectionError`` when no stream could be opened (nothing was
    /// sent), with ``HTTP2StreamError`` when the stream failed later, and with `CancellationError`
    /// when the calling task was cancelled (the stream is reset).
    public func unary(headers: HPACKHeaders, body: ByteBuffer?) async throws -> HTTP2UnaryResponse {
        let table = try await acquireTable()
        defer { releaseTable() }
        let loop = table.eventLoop
        let response = loop.makePromise(of: HTTP2UnaryResponse.self)
        let exchange = NIOLoopBoundBox.makeBoxSendingValue(HTTP2UnaryExchange(response: response), eventLoop: loop)
        loop.execute {
            exchange.value.start(on: table.value, headers: headers, body: body, eventLoop: loop)
        }
        do {
            return try await withTaskCancellationHandler {
                try await response.futureResult.get()
            } onCancel: {
                loop.execute {
                    if let id = exchange.value.streamID { table.value.reset(id) }
                    exchange.value.streamClosed(reason: .cancel, error: nil)
                }
            }
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw error
        }
    }
}
