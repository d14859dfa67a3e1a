import Foundation
import Testing

@testable import KubeClient

@Suite struct RESTPartsTests {
    static let kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters:
        - name: skiff
          cluster:
            server: https://127.0.0.1:6443
            certificate-authority-data: Q0EtUEVN
        - name: other
          cluster:
            server: http://[::1]:8080
            insecure-skip-tls-verify: true
            tls-server-name: api.internal
        users:
        - name: admin
          user:
            client-certificate-data: Q0VSVA==
            client-key-data: S0VZ
        - name: robot
          user:
            token: abc.def
        contexts:
        - name: default
          context:
            cluster: skiff
            user: admin
        - name: robot
          context:
            cluster: other
            user: robot
            namespace: team-a
        current-context: default
        preferences: {}
        """

    @Test func kubeconfigContextsResolveToConnectionSettings() throws {
        let config = try KubeConfig.parse(Self.kubeconfig)
        let current = try config.restConfig()
        #expect(current.host == "127.0.0.1" && current.port == 6443 && current.useTLS)
        #expect(current.certificateAuthorityPEM == Array("CA-PEM".utf8))
        #expect(current.clientCertificatePEM == Array("CERT".utf8) && current.clientKeyPEM == Array("KEY".utf8))
        #expect(current.bearerToken == nil && current.namespace == nil)

        let robot = try config.restConfig(context: "robot")
        #expect(robot.host == "::1" && robot.port == 8080 && !robot.useTLS)
        #expect(robot.insecureSkipTLSVerify && robot.tlsServerName == "api.internal")
        #expect(robot.bearerToken == "abc.def" && robot.namespace == "team-a")

        #expect(throws: KubeConfigError.missing("context", "nope")) { try config.restConfig(context: "nope") }
    }

    @Test func kubeconfigFilesAreResolvedBesideTheConfig() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("kc-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "CA".write(to: directory.appendingPathComponent("ca.crt"), atomically: true, encoding: .utf8)
        try "tok\n".write(to: directory.appendingPathComponent("token"), atomically: true, encoding: .utf8)
        let text = """
            clusters: [{name: c, cluster: {server: "https://example.test", certificate-authority: ca.crt}}]
            users: [{name: u, user: {tokenFile: token}}]
            contexts: [{name: x, context: {cluster: c, user: u}}]
            current-context: x
            """
        try text.write(to: directory.appendingPathComponent("config"), atomically: true, encoding: .utf8)
        let config = try KubeConfig.load(directory.appendingPathComponent("config")).restConfig()
        #expect(config.host == "example.test" && config.port == 443)
        #expect(config.certificateAuthorityPEM == Array("CA".utf8) && config.bearerToken == "tok")
    }

    /// client-go's token bucket: a burst is free, then one request per 1/qps.
    @Test func rateLimiterLetsABurstThroughThenPaces() {
        let limiter = ClientRateLimiter(qps: 10, burst: 3)
        let now = ContinuousClock.now
        #expect((0..<3).map { _ in limiter.reserve(now: now) } == [.zero, .zero, .zero])
        #expect(limiter.reserve(now: now) == .milliseconds(100))
        #expect(limiter.reserve(now: now) == .milliseconds(200))
        // Half a second later five tokens have come back, two of them already promised.
        #expect(limiter.reserve(now: now + .milliseconds(500)) == .zero)
        #expect(ClientRateLimiter(qps: 0, burst: 0).reserve() == .zero)
    }

    /// client-go's `checkWait`: only 429 and 5xx carrying Retry-After are retried.
    @Test(arguments: [
        (429, "3", Duration.seconds(3)), (503, "1", .seconds(1)), (500, "0", .zero),
        (429, nil, nil), (404, "1", nil), (503, "soon", nil),
    ] as [(Int, String?, Duration?)])
    func retryAfterFollowsClientGo(_ status: Int, _ header: String?, _ expected: Duration?) {
        let response = RESTResponse(status: status, headers: header.map { [("retry-after", $0)] } ?? [], body: [])
        #expect(RESTClient.retryAfter(response) == expected)
    }

    @Test func queriesAreEscaped() {
        let request = RESTRequest(method: "GET", path: "/api/v1/pods", query: ListOptions(
            labelSelector: "app in (web,api),tier!=db", limit: 5, allowWatchBookmarks: true).query)
        #expect(request.target == "/api/v1/pods?labelSelector=app%20in%20%28web%2Capi%29%2Ctier%21%3Ddb&limit=5&allowWatchBookmarks=true")
    }

    @Test func statusBodiesBecomeStatusErrors() {
        let body = Array(#"{"kind":"Status","apiVersion":"v1","status":"Failure","message":"pods \"x\" not found","reason":"NotFound","code":404}"#.utf8)
        let error = RESTClient.statusError(RESTResponse(status: 404, headers: [], body: body))
        #expect(error.isNotFound && error.message == #"pods "x" not found"#)
        let bare = RESTClient.statusError(RESTResponse(status: 503, headers: [], body: Array("busy".utf8)))
        #expect(bare.code == 503 && bare.reason == "ServiceUnavailable" && bare.message == "busy")
    }
}
