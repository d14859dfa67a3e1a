import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix
import Synchronization
import Testing

@testable import HTTP2Client

/// An `HTTP2Connection` against a plaintext HTTP/2 server that answers every request with the
/// number of the connection it came on, and sends GOAWAY after answering `/goaway`.
@Suite struct HTTP2ConnectionGoAwayTests {
    final class Responder: ChannelInboundHandler {
        typealias InboundIn = HTTP2Frame
        typealias OutboundOut = HTTP2Frame
        let connection: Int

        init(connection: Int) {
            self.connection = connection
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let frame = unwrapInboundIn(data)
            guard case .headers(let request) = frame.payload, request.endStream else { return }
            let response: HPACKHeaders = [":status": "200", "x-connection": String(connection)]
            context.write(wrapOutboundOut(HTTP2Frame(streamID: frame.streamID, payload: .headers(.init(headers: response, endStream: true)))), promise: nil)
            if request.headers.first(name: ":path") == "/goaway" {
                context.write(wrapOutboundOut(HTTP2Frame(
                    streamID: .rootStream, payload: .goAway(lastStreamID: frame.streamID, errorCode: .noError, opaqueData: nil))), promise: nil)
            }
            context.flush()
        }
    }

    static func server(group: any EventLoopGroup) async throws -> any Channel {
        let accepted = Atomic<Int>(0)
        return try await ServerBootstrap(group: group)
            .childChannelInitializer { channel in
                let number = accepted.add(1, ordering: .relaxed).newValue
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOHTTP2Handler(mode: .server))
                    try channel.pipeline.syncOperations.addHandler(Responder(connection: number))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }

    @Test func afterGoAwayTheNextRequestGoesToANewConnection() async throws {
        let group = MultiThreadedEventLoopGroup.singleton
        let server = try await Self.server(group: group)
        let port = try #require(server.localAddress?.port)
        let connection = HTTP2Connection(target: .tcp(host: "127.0.0.1", port: port), group: group)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await connection.run() }
            func get(_ path: String) async throws -> String? {
                let response = try await connection.unary(
                    headers: [":method": "GET", ":scheme": "http", ":authority": "test", ":path": path], body: nil)
                return response.headers.first(name: "x-connection")
            }
            #expect(try await get("/a") == "1")
            #expect(try await get("/goaway") == "1")
            // The GOAWAY may still be on its way: a request refused by it fails as not sent.
            var next: String?
            for _ in 0..<3 where next == nil {
                next = try? await get("/b")
            }
            #expect(next == "2")
            #expect(try await get("/c") == "2")
            connection.close()
            try await tasks.waitForAll()
        }
        try await server.close()
    }
}
