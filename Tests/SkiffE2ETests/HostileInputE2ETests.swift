import Foundation
import Testing

/// Hostile and malformed requests over HTTPS get a 4xx with a `Status` body — never a 500, a
/// crash or a dropped connection — and the server keeps serving.
@Suite(.serialized, .e2eSlot)
struct HostileInputE2ETests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var method = "POST"
        var path = "/api/v1/namespaces/default/configmaps"
        var contentType: String? = "application/json"
        var accept: String?
        var body: String?
        var code: Int
        var testDescription: String { name }
    }

    static let nested = String(repeating: "[", count: 100_000)

    static let cases: [Case] = [
        Case(name: "truncated JSON", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"na"#, code: 400),
        Case(name: "not JSON at all", body: "\u{0}\u{1}garbage", code: 400),
        Case(name: "invalid YAML", contentType: "application/yaml", body: "metadata: [unclosed\n  - : :", code: 400),
        Case(name: "wrong type for a field", body: #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":5}}"#, code: 400),
        Case(name: "a list where an object belongs", body: #"[1,2,3]"#, code: 400),
        Case(name: "JSON nested 100,000 deep", body: nested, code: 400),
        Case(name: "YAML nested 100,000 deep", contentType: "application/yaml", body: nested, code: 400),
        Case(name: "unknown content type", contentType: "text/plain", body: "hello", code: 415),
        Case(name: "patch without a patch type", method: "PATCH", path: "/api/v1/namespaces/default/configmaps/x",
             contentType: "application/json", body: "{}", code: 415),
        Case(name: "unacceptable Accept", method: "GET", contentType: nil, accept: "application/xml", code: 406),
        Case(name: "bad label selector", method: "GET", path: "/api/v1/pods?labelSelector=a%3D%3Db%3D%3Dc", contentType: nil, code: 400),
        Case(name: "bad field selector", method: "GET", path: "/api/v1/pods?fieldSelector=spec.nope%3Dx", contentType: nil, code: 400),
        Case(name: "non-numeric limit", method: "GET", path: "/api/v1/pods?limit=abc", contentType: nil, code: 400),
        Case(name: "garbage continue token", method: "GET", path: "/api/v1/pods?limit=1&continue=%25%25%25", contentType: nil, code: 400),
        Case(name: "absurd path", method: "GET", path: "/api/v1/namespaces/x/pods/a/b/c/d/e/f", contentType: nil, code: 404),
        Case(name: "unknown group", method: "GET", path: "/apis/nope.example.com/v1/things", contentType: nil, code: 404),
        Case(name: "path full of dots", method: "GET", path: "/api/v1/namespaces/../../../etc/passwd", contentType: nil, code: 404),
        Case(name: "PUT on a collection", method: "PUT", path: "/api/v1/namespaces/default/configmaps", body: "{}", code: 405),
        Case(name: "POST on an object", path: "/api/v1/namespaces/default/configmaps/x", body: "{}", code: 405),
    ]

    /// curl with the admin certificate: (status code, body).
    static func request(_ server: SkiffServerProcess, _ c: Case) throws -> (Int, String) {
        let tls = server.dataDirectory.appendingPathComponent("tls")
        var arguments = ["-sk", "--max-time", "30", "-o", "-", "-w", "\n%{http_code}", "-X", c.method,
                         "--cert", tls.appendingPathComponent("admin.crt").path,
                         "--key", tls.appendingPathComponent("admin.key").path]
        if let contentType = c.contentType { arguments += ["-H", "Content-Type: \(contentType)"] }
        if let accept = c.accept { arguments += ["-H", "Accept: \(accept)"] }
        if let body = c.body {
            let file = server.dataDirectory.appendingPathComponent("body-\(abs(c.name.hashValue))")
            try Data(body.utf8).write(to: file)
            arguments += ["--data-binary", "@\(file.path)"]
        }
        let result = try Command.run("/usr/bin/curl", arguments + [server.baseURL + c.path])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test(.timeLimit(.minutes(5)))
    func hostileRequestsGetStatusReplies() async throws {
        let server = try SkiffServerProcess()
        defer { server.kill() }
        try await server.waitUntilReady()
        for c in Self.cases {
            let (code, body) = try Self.request(server, c)
            #expect(code == c.code, "\(c.name): \(code) \(body.prefix(300))")
            #expect(body.contains(#""kind":"Status""#), "\(c.name): \(body.prefix(300))")
        }
        // A body over the 3 MiB request limit.
        let huge = Case(name: "4 MiB body", body: #"{"metadata":{"name":"x"},"data":{"a":""# + String(repeating: "x", count: 4 << 20) + #""}}"#,
                        code: 413)
        let (code, body) = try Self.request(server, huge)
        #expect(code == 413, "\(body.prefix(300))")
        // Still serving.
        #expect(try server.kubectl("get", "ns", "default").status == 0)
        #expect(server.process.isRunning)
    }
}
