import NIOHPACK
import Testing

@testable import GRPCTransport

@Suite struct GRPCStatusTests {
    @Test func okStatusIsNoError() {
        #expect(GRPCError.status(fromTrailers: ["grpc-status": "0"]) == nil)
    }

    @Test(arguments: GRPCStatusCode.allCases.filter { $0 != .ok })
    func everyCodeMapsToAnError(code: GRPCStatusCode) {
        let trailers: HPACKHeaders = ["grpc-status": "\(code.rawValue)", "grpc-message": "boom"]
        #expect(GRPCError.status(fromTrailers: trailers) == GRPCError(code: code, message: "boom"))
    }

    /// etcd's compaction error, as grpc-go sends it (percent-encoded grpc-message).
    @Test func etcdStatusIsDecoded() {
        let trailers: HPACKHeaders = [
            "grpc-status": "11", "grpc-message": "etcdserver: mvcc: required revision has been compacted",
        ]
        let error = GRPCError.status(fromTrailers: trailers)
        #expect(error?.code == .outOfRange)
        #expect(error?.message == "etcdserver: mvcc: required revision has been compacted")
    }

    static let percentCases: [(String, String)] = [
        ("plain", "plain"),
        ("50%25 done", "50% done"),
        ("line%0Abreak", "line\nbreak"),
        ("caf%C3%A9", "café"),
        ("bad %zz and %4", "bad %zz and %4"),
    ]

    @Test(arguments: percentCases)
    func grpcMessageIsPercentDecoded(encoded: String, decoded: String) {
        #expect(GRPCError.percentDecoded(encoded) == decoded)
    }

    /// A trailers-only response carrying an HTTP error status and no grpc-status.
    @Test(arguments: [(404, GRPCStatusCode.unimplemented), (503, .unavailable), (401, .unauthenticated), (500, .unknown)])
    func httpStatusWithoutGRPCStatus(http: Int, code: GRPCStatusCode) {
        #expect(GRPCError.status(fromTrailers: [":status": "\(http)"])?.code == code)
    }

    @Test func missingOrInvalidStatus() {
        #expect(GRPCError.status(fromTrailers: [:])?.code == .internal)
        #expect(GRPCError.status(fromTrailers: ["grpc-status": "99"])?.code == .unknown)
    }

    @Test func requestHeaders() {
        let headers = GRPCConnection.requestHeaders(
            path: "/etcdserverpb.KV/Range", authority: "127.0.0.1:2379", timeout: .seconds(5))
        #expect(headers.map(\.name) == [
            ":method", ":scheme", ":path", ":authority", "content-type", "te", "grpc-timeout", "user-agent",
        ])
        #expect(headers.first(name: ":method") == "POST")
        #expect(headers.first(name: ":scheme") == "http")
        #expect(headers.first(name: ":path") == "/etcdserverpb.KV/Range")
        #expect(headers.first(name: ":authority") == "127.0.0.1:2379")
        #expect(headers.first(name: "content-type") == "application/grpc")
        #expect(headers.first(name: "te") == "trailers")
        #expect(headers.first(name: "grpc-timeout") == "5000000u")
        let noDeadline = GRPCConnection.requestHeaders(path: "/a.B/C", authority: "localhost", timeout: nil)
        #expect(noDeadline.first(name: "grpc-timeout") == nil)
    }

    @Test func defaultAuthority() {
        #expect(GRPCConnection(target: .tcp(host: "127.0.0.1", port: 2379)).authority == "127.0.0.1:2379")
        #expect(GRPCConnection(target: .tcp(host: "::1", port: 2379)).authority == "[::1]:2379")
        #expect(GRPCConnection(target: .unixDomainSocket(path: "/run/containerd/containerd.sock")).authority == "localhost")
    }
}
