import Foundation
import HTTP2Client
import KubeModel
import NIOCore
import NIOHPACK
import NIOHTTP2
import OpenSSLTLS

/// The HTTP client every component talks to the API server through (client-go's `rest`
/// package): one multiplexed HTTP/2 connection (TLS with ALPN h2, client certificate or bearer
/// token), a client-side token bucket, and client-go's retry rules — a response of 429 or 5xx
/// carrying `Retry-After` is retried after that many seconds; a request that never reached the
/// server is retried for any verb, one cut off in flight only for GET; at most `maxRetries`.
///
/// ``run()`` keeps the connection and must be running while requests are made.
public final class RESTClient: Sendable {
    public let config: RESTConfig
    let connection: HTTP2Connection
    let limiter: ClientRateLimiter
    private let authority: String

    public init(config: RESTConfig) throws {
        self.config = config
        let tls = try config.useTLS ? HTTP2TLS(
            context: Self.tlsContext(config),
            serverHostname: config.tlsServerName ?? config.host) : nil
        connection = HTTP2Connection(target: .tcp(host: config.host, port: config.port), tls: tls)
        limiter = ClientRateLimiter(qps: config.qps, burst: config.burst)
        authority = HTTP2Target.tcp(host: config.host, port: config.port).defaultAuthority
    }

    /// Keeps the connection until ``close()`` or cancellation.
    public func run() async throws {
        try await connection.run()
    }

    public func close() {
        connection.close()
    }

    /// client-go's transport: the kubeconfig's CA (else the system's), its client certificate,
    /// ALPN `h2`; the server's name or IP address is checked against its certificate.
    static func tlsContext(_ config: RESTConfig) throws -> TLSContext {
        try TLSContext.client(
            trustRootsPEM: config.certificateAuthorityPEM,
            serverVerification: config.insecureSkipTLSVerify ? .none : .required,
            certificateChainPEM: config.clientCertificatePEM, privateKeyPEM: config.clientKeyPEM,
            applicationProtocols: ["h2"])
    }


    // MARK: - Requests

    /// Sends `request` and returns the response when it is 2xx; an API error as ``StatusError``.
    public func send(_ request: RESTRequest) async throws -> RESTResponse {
        let response = try await sendWithRetries(request)
        guard (200..<300).contains(response.status) else { throw Self.statusError(response) }
        return response
    }

    /// The decoded 2xx response body.
    public func send<Response: Decodable>(_ request: RESTRequest, as type: Response.Type) async throws -> Response {
        try await send(request, as: type, skippingManagedFields: false)
    }

    /// The decoded 2xx response body; `skippingManagedFields`: an API object's
    /// `metadata.managedFields` are skipped unread.
    func send<Response: Decodable>(_ request: RESTRequest, as type: Response.Type,
                                   skippingManagedFields: Bool) async throws -> Response {
        let body = try await send(request).body
        if let readable = Response.self as? any (JSONReadable & Decodable).Type {
            return try Self.decode(readable, body, skippingManagedFields: skippingManagedFields) as! Response
        }
        return try JSONDecoder().decode(Response.self, from: Data(body))
    }

    static func decode<Value: JSONReadable & Decodable>(
        _ type: Value.Type, _ body: [UInt8], skippingManagedFields: Bool
    ) throws -> Value {
        guard skippingManagedFields else { return try Value.decode(body) }
        var reader = JSONReader(body)
        reader.skipsManagedFields = true
        do throws(JSONParser.SyntaxError) {
            let value = try Value(json: &reader)
            try reader.finish()
            return value
        } catch {
            var value = try Value.decode(body)
            if var object = value as? any KubeObject {
                object.metadata.managedFields = nil
                value = object as! Value
            }
            return value
        }
    }

    static func statusError(_ response: RESTResponse) -> StatusError {
        if let status = try? JSONDecoder().decode(MetaV1.Status.self, from: Data(response.body)), status.kind == "Status" {
            var status = status
            if status.code == nil { status.code = Int32(response.status) }
            return StatusError(status: status)
        }
        return StatusError(code: response.status, body: response.body)
    }

    private func sendWithRetries(_ request: RESTRequest) async throws -> RESTResponse {
        var attempt = 0
        while true {
            try await limiter.wait()
            let delay: Duration
            do {
                let response = try await perform(request)
                guard attempt < config.maxRetries, let wait = Self.retryAfter(response) else { return response }
                delay = wait
            } catch let error as HTTP2ConnectionError {
                guard attempt < config.maxRetries else { throw error }
                delay = .seconds(1)
            } catch let error as RESTTransportError {
                guard attempt < config.maxRetries, request.isIdempotent else { throw error }
                delay = .seconds(1)
            }
            attempt += 1
            try await Task.sleep(for: delay)
        }
    }

    /// client-go's `checkWait`: 429 and 5xx responses are retried when they carry Retry-After.
    static func retryAfter(_ response: RESTResponse) -> Duration? {
        guard response.status == 429 || response.status >= 500,
              let value = response.header("retry-after"), let seconds = Int(value), seconds >= 0 else { return nil }
        return .seconds(seconds)
    }

    func requestHeaders(_ request: RESTRequest, accept: String = "application/json") -> HPACKHeaders {
        var headers: HPACKHeaders = [
            ":method": request.method, ":scheme": config.useTLS ? "https" : "http",
            ":path": request.target, ":authority": authority,
            "accept": accept, "user-agent": config.userAgent,
        ]
        if request.body != nil { headers.add(name: "content-type", value: request.contentType) }
        if let token = config.bearerToken { headers.add(name: "authorization", value: "Bearer \(token)") }
        return headers
    }

    /// One exchange on its own stream, the response read whole.
    func perform(_ request: RESTRequest) async throws -> RESTResponse {
        let response: HTTP2UnaryResponse
        do {
            response = try await connection.unary(
                headers: requestHeaders(request), body: request.body.map { ByteBuffer(bytes: $0) })
        } catch let error as HTTP2StreamError {
            throw RESTTransportError(message: "\(request.method) \(request.path): \(error)")
        }
        guard let status = response.headers.first(name: ":status").flatMap({ Int($0) }) else {
            throw RESTTransportError(message: "\(request.method) \(request.path): response without :status")
        }
        let headers = response.headers.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) }
        var body = response.body
        return RESTResponse(status: status, headers: headers, body: body.readBytes(length: body.readableBytes) ?? [])
    }

    /// Sends `request` on a new stream and hands the response head and its body chunks to
    /// `body`; the stream is reset if `body` returns before the response ends.
    func exchange<Result>(
        _ request: RESTRequest, accept: String = "application/json",
        _ body: (ResponseHead, ResponseBodyChunks) async throws -> Result
    ) async throws -> Result {
        let headers = requestHeaders(request, accept: accept)
        return try await connection.withStream(headers: headers, endStream: request.body == nil) { inbound, outbound in
            do {
                if let payload = request.body {
                    try await outbound.write(.data(.init(data: .byteBuffer(ByteBuffer(bytes: payload)), endStream: true)))
                }
            } catch {
                throw RESTTransportError(message: "\(request.method) \(request.path): sending failed: \(error)")
            }
            var iterator = inbound.makeAsyncIterator()
            let head = try await ResponseHead.read(from: &iterator, request: request)
            return try await body(head.head, ResponseBodyChunks(iterator: iterator, ended: head.ended, request: request))
        }
    }
}

/// The request was sent (at least in part) but its response was cut off.
public struct RESTTransportError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
