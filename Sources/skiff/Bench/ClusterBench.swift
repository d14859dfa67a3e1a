import Foundation
import KubeClient

/// What `skiff bench scheduler` and `skiff bench controllers` share: a `skiff server` child
/// (API only) in a data directory, an admin REST client to it without client-side limits,
/// the benchmark's rows printed as a table, and the directory removed afterwards unless given.
enum ClusterBench {
    typealias Rows = [(String, String)]

    static func run(
        name: String, dataDir: String?, banner: (URL) -> String,
        measure: (RESTClient, URL, URL, APIServerUnderTest) async throws -> Rows
    ) async throws {
        let dir = URL(fileURLWithPath: dataDir ?? NSTemporaryDirectory() + "skiff-bench-\(name)-\(UUID().uuidString.prefix(8))")
        let server = APIServerUnderTest(dataDirectory: dir, port: APIServerUnderTest.freePort())
        defer { server.stop() }
        BenchOutput.say(banner(dir))
        _ = try await server.start()
        let kubeconfig = dir.appendingPathComponent("kubeconfig.yaml")
        var config = try KubeConfig.load(kubeconfig).restConfig()
        config.qps = 0
        let client = try RESTClient(config: config)
        var rows: Rows = []
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await client.run() }
            defer { client.close() }
            rows = try await measure(client, dir, kubeconfig, server)
        }
        let width = rows.map(\.0.count).max() ?? 0
        for (label, value) in rows {
            BenchOutput.say(label.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
        server.stop()
        if dataDir == nil { try? FileManager.default.removeItem(at: dir) }
    }
}
