import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import OpenSSLTLS

/// The benchmark's load generator: keep-alive HTTPS/1.1 connections to the API server,
/// authenticated with the admin client certificate. A ``Session`` sends requests one after
/// another on its connection, as one client does; a watch reads newline-delimited events.
enum BenchHTTPClient {
    typealias Connection = NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>

    struct Response: Sendable {
        var status: Int
        var body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func tlsContext(tlsDirectory: URL) throws -> TLSContext {
        func read(_ name: String) throws -> [UInt8] {
            Array(try Data(contentsOf: tlsDirectory.appendingPathComponent(name)))
        }
        return try TLSContext.client(
            trustRootsPEM: try read("ca.crt"), certificateChainPEM: try read("admin.crt"),
            privateKeyPEM: try read("admin.key"), applicationProtocols: ["http/1.1"])
    }

    /// Opens a connection and runs `body` with a session on it; the connection closes afterwards.
    static func withSession<R: Sendable>(port: Int, tls: TLSContext,
                                         _ body: (inout Session) async throws -> R) async throws -> R {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try TLSHandler(context: tls, serverHostname: "localhost")
                    try channel.pipeline.syncOperations.addHandler(handler)
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var session = Session(iterator: inbound.makeAsyncIterator(), outbound: outbound)
            return try await body(&session)
        }
    }

    struct Session {
        var iterator: NIOAsyncChannelInboundStream<HTTPClientResponsePart>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<HTTPClientRequestPart>
        /// Bytes of a streaming response read past the last complete line.
        var pending: [UInt8] = []

        mutating func send(_ method: HTTPMethod, _ path: String, body: [UInt8]?, contentType: String) async throws {
            var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
            head.headers.add(name: "Host", value: "localhost")
            head.headers.add(name: "Accept", value: "application/json")
            if let body {
                head.headers.add(name: "Content-Type", value: contentType)
                head.headers.add(name: "Content-Length", value: String(body.count))
            }
            try await outbound.write(.head(head))
            if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
        }

        /// Sends one request and reads its whole response.
        mutating func request(_ method: HTTPMethod, _ path: String, body: [UInt8]? = nil,
                              contentType: String = "application/json") async throws -> Response {
            try await send(method, path, body: body, contentType: contentType)
            var status = 0
            var bytes: [UInt8] = []
            while let part = try await iterator.next() {
                switch part {
                case .head(let head): status = Int(head.status.code)
                case .body(var buffer): bytes += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end: return Response(status: status, body: bytes)
                }
            }
            throw Failure(description: "connection closed during \(method) \(path)")
        }

        /// Starts a watch; returns once the response head arrived.
        mutating func startWatch(_ path: String) async throws {
            try await send(.GET, path, body: nil, contentType: "")
            while let part = try await iterator.next() {
                if case .head(let head) = part {
                    guard head.status == .ok else { throw Failure(description: "watch answered \(head.status)") }
                    return
                }
            }
            throw Failure(description: "connection closed before the watch started")
        }

        /// The next complete event line of a watch.
        mutating func nextEventLine() async throws -> [UInt8] {
            while true {
                if let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = Array(pending[..<newline])
                    pending.removeFirst(newline + 1)
                    return line
                }
                guard let part = try await iterator.next() else { throw Failure(description: "watch closed") }
                switch part {
                case .body(var buffer): pending += buffer.readBytes(length: buffer.readableBytes) ?? []
                case .end: throw Failure(description: "watch ended")
                case .head: continue
                }
            }
        }
    }
}
