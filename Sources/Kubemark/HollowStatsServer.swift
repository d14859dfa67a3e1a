import NIOCore
import NIOHTTP1
import NIOHTTP2
import NIOPosix

/// The fleet's one kubelet stats listener: plaintext HTTP/2 with prior knowledge (h2c), bound
/// once for every node. Each node's InternalIP is a loopback address, so the address a
/// connection came to (`localAddress`) says which node is asked; `GET /metrics/resource`
/// answers with that node's resource metrics, anything else with 404.
final class HollowStatsServer: Sendable {
    /// What the server answers for a request: status, content type, body.
    typealias Responder = @Sendable (_ path: String, _ localAddress: String?) -> (code: Int, contentType: String, body: String)

    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// The bound port.
    var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds `host:port` (port 0: any free port) and starts answering with `responder`.
    static func bind(host: String, port: Int, responder: @escaping Responder) async throws -> HollowStatsServer {
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.backlog, value: 256)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { connection in
                let local = connection.localAddress?.ipAddress
                return connection.configureHTTP2Pipeline(mode: .server) { stream in
                    stream.eventLoop.makeCompletedFuture {
                        try stream.pipeline.syncOperations.addHandler(HTTP2FramePayloadToHTTP1ServerCodec())
                        try stream.pipeline.syncOperations.addHandler(StatsRequestHandler(localAddress: local, responder: responder))
                    }
                }.map { _ in }
            }
        let channel = try await bootstrap.bind(host: host, port: port).get()
        return HollowStatsServer(channel: channel)
    }

    /// Serves until the calling task is cancelled, then closes the listener.
    func run() async {
        let channel = self.channel
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
    }
}

/// Answers the requests of one HTTP/2 stream (seen as HTTP/1 parts).
private final class StatsRequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let localAddress: String?
    let responder: HollowStatsServer.Responder
    var head: HTTPRequestHead?

    init(localAddress: String?, responder: @escaping HollowStatsServer.Responder) {
        self.localAddress = localAddress
        self.responder = responder
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
            let answer: (code: Int, contentType: String, body: String)
            if head.method == .GET || head.method == .HEAD {
                answer = responder(path, localAddress)
            } else {
                answer = (405, "text/plain; charset=utf-8", "method not allowed\n")
            }
            var buffer = context.channel.allocator.buffer(capacity: answer.body.utf8.count)
            buffer.writeString(answer.body)
            var headers = HTTPHeaders()
            headers.add(name: "content-type", value: answer.contentType)
            headers.add(name: "content-length", value: String(buffer.readableBytes))
            let responseHead = HTTPResponseHead(version: head.version, status: HTTPResponseStatus(statusCode: answer.code), headers: headers)
            context.write(wrapOutboundOut(.head(responseHead)), promise: nil)
            if head.method != .HEAD { context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }
    }
}
