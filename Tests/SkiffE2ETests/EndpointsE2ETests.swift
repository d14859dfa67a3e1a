import Foundation
import SkiffTestSupport
import Testing

/// The Endpoints and EndpointSlice controllers in a real `skiff server` with hollow nodes: a
/// service's Endpoints and EndpointSlice list the IPs of the ready pods it selects, with the
/// named target port resolved, and drop a deleted pod.
@Suite(.serialized, .e2eSlot)
struct EndpointsE2ETests {
    @Test(.timeLimit(.minutes(5)))
    func endpointsFollowTheSelectedPods() async throws {
        let server = try SkiffServerProcess(extraArguments: ["--disable-agent"])
        defer { server.kill() }
        try await server.waitUntilReady()
        let fleet = try HollowNodesProcess(server: server, arguments: ["--count", "2"])
        defer { fleet.kill() }
        try await NodeLifecycleE2ETests.poll("2 nodes", server) {
            try server.kubectl("get", "nodes", "-o", "name").stdout.split(separator: "\n").count == 2
        }
        let manifest = server.dataDirectory.appendingPathComponent("web.yaml")
        try [
            Self.service,
            Self.pod("web-1", node: "hollow-node-0", app: "web"),
            Self.pod("web-2", node: "hollow-node-1", app: "web"),
            Self.pod("db", node: "hollow-node-1", app: "db"),
        ].joined(separator: "\n\n---\n").write(to: manifest, atomically: true, encoding: .utf8)
        let create = try server.kubectl("create", "-f", manifest.path)
        #expect(create.status == 0, "\(create)")

        var ips: [String: String] = [:]
        try await NodeLifecycleE2ETests.poll("pods with IPs", server) {
            ips = try Self.podIPs(server)
            return ["web-1", "web-2", "db"].allSatisfy { !(ips[$0] ?? "").isEmpty }
        }
        let webIPs = [ips["web-1"]!, ips["web-2"]!].sorted()
        try await NodeLifecycleE2ETests.poll("Endpoints with both pods", server) {
            try Self.endpointIPs(server) == webIPs
        }
        let ports = try server.kubectl("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].ports[*].name}={.subsets[*].ports[*].port}")
        #expect(ports.stdout == "http=8080", "\(ports)")
        let labels = try server.kubectl("get", "endpoints", "web", "-o", #"jsonpath={.metadata.labels.endpoints\.kubernetes\.io/managed-by}"#)
        #expect(labels.stdout == "endpoint-controller", "\(labels)")

        try await NodeLifecycleE2ETests.poll("an EndpointSlice with both pods", server) {
            try Self.sliceIPs(server) == webIPs
        }
        let slice = try server.kubectl("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o",
                                       #"jsonpath={.items[0].addressType} {.items[0].ports[0].name}={.items[0].ports[0].port} {.items[0].metadata.labels.endpointslice\.kubernetes\.io/managed-by} {.items[0].endpoints[*].conditions.ready}"#)
        #expect(slice.stdout == "IPv4 http=8080 endpointslice-controller.k8s.io true true", "\(slice)")

        let delete = try server.kubectl("delete", "pod", "web-2", "--wait=false")
        #expect(delete.status == 0, "\(delete)")
        try await NodeLifecycleE2ETests.poll("web-2 dropped", server) {
            try Self.endpointIPs(server) == [ips["web-1"]!] && Self.sliceIPs(server) == [ips["web-1"]!]
        }
        // The API server's own `kubernetes` Endpoints are left as they are.
        let kubernetes = try server.kubectl("get", "endpoints", "kubernetes", "-o", "jsonpath={.subsets[0].ports[0].name}")
        #expect(kubernetes.stdout == "https", "\(kubernetes)")
    }

    static let service = """
        apiVersion: v1
        kind: Service
        metadata:
          name: web
        spec:
          selector:
            app: web
          ports:
          - name: http
            port: 80
            targetPort: http
        """

    static func pod(_ name: String, node: String, app: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: \(name)
          labels:
            app: \(app)
        spec:
          nodeName: \(node)
          containers:
          - name: app
            image: "app:1"
            ports:
            - name: http
              containerPort: 8080
        """
    }

    static func podIPs(_ server: SkiffServerProcess) throws -> [String: String] {
        let output = try server.kubectl("get", "pods", "-o", #"jsonpath={range .items[*]}{.metadata.name}={.status.podIP}{"\n"}{end}"#).stdout
        var ips: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            if parts.count == 2 { ips[parts[0]] = parts[1] }
        }
        return ips
    }

    static func endpointIPs(_ server: SkiffServerProcess) throws -> [String] {
        try server.kubectl("get", "endpoints", "web", "-o", "jsonpath={.subsets[*].addresses[*].ip}").stdout
            .split(separator: " ").map(String.init).sorted()
    }

    static func sliceIPs(_ server: SkiffServerProcess) throws -> [String] {
        try server.kubectl("get", "endpointslices", "-l", "kubernetes.io/service-name=web", "-o",
                           "jsonpath={.items[*].endpoints[*].addresses[*]}").stdout
            .split(separator: " ").map(String.init).sorted()
    }
}
