import ArgumentParser
import Foundation
import OpenSSLTLS
import Synchronization

/// `skiff bench api`: a real `skiff server` (child process, SQLite store) driven over HTTPS by
/// keep-alive clients: cold start, idle memory, create/get/update latency and throughput with 1
/// and 16 clients, LIST of many pods, watch fan-out, and a restart with all those objects.
struct BenchAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api",
        abstract: "Benchmark the API server over HTTPS (starts its own skiff server)."
    )

    @Option(help: "Pods created for the LIST and restart measurements.")
    var pods: Int = 10_000

    @Option(help: "Seconds per throughput phase.")
    var seconds: Double = 3

    @Option(help: "Concurrent watchers for the fan-out measurement.")
    var watchers: Int = 100

    @Option(help: "Directory for the server's data (default: a new temporary directory).")
    var dataDir: String?

    func run() async throws {
        let dir = URL(fileURLWithPath: dataDir ?? NSTemporaryDirectory() + "skiff-bench-api-\(UUID().uuidString.prefix(8))")
        let server = APIServerUnderTest(dataDirectory: dir, port: APIServerUnderTest.freePort())
        defer { server.stop() }
        var rows: [(String, String)] = []
        BenchOutput.say("skiff bench api — server data in \(dir.path), port \(server.port)")

        let coldStart = try await server.start()
        rows.append(("cold start to /readyz, empty (first start: PKI + schema)", StoreWorkloads.format(coldStart)))
        try await Task.sleep(for: .seconds(2))
        rows.append(("idle RSS after start", StoreWorkloads.mebibytes(server.residentBytes())))
        let tls = try BenchHTTPClient.tlsContext(tlsDirectory: server.tlsDirectory)
        let load = APILoad(port: server.port, tls: tls, seconds: seconds)

        for clients in [1, 16] {
            let (rate, latencies) = try await load.creates(clients: clients, prefix: "c\(clients)")
            rows.append(("create configmap, \(clients) client(s): per s", StoreWorkloads.format(rate)))
            rows.append(("create configmap, \(clients) client(s): p50 / p99", StoreWorkloads.percentiles(latencies)))
        }
        for clients in [1, 16] {
            let (rate, latencies) = try await load.gets(clients: clients)
            rows.append(("get configmap, \(clients) client(s): per s", StoreWorkloads.format(rate)))
            rows.append(("get configmap, \(clients) client(s): p50 / p99", StoreWorkloads.percentiles(latencies)))
        }
        for clients in [1, 16] {
            let (rate, latencies) = try await load.updates(clients: clients)
            rows.append(("update configmap (PUT), \(clients) client(s): per s", StoreWorkloads.format(rate)))
            rows.append(("update configmap (PUT), \(clients) client(s): p50 / p99", StoreWorkloads.percentiles(latencies)))
        }
        let fanOut = try await load.watchFanOut(watchers: watchers, writes: 20)
        rows.append(("watch fan-out, 1 write → \(watchers) watchers: p50 / p99", StoreWorkloads.percentiles(fanOut)))

        BenchOutput.say("creating \(pods) pods …")
        let createPods = try await load.createPods(pods, clients: 16)
        rows.append(("create \(pods) pods, 16 clients: per s", StoreWorkloads.format(createPods)))
        let listLatencies = try await load.listPods(times: 5)
        rows.append(("LIST \(pods) pods (JSON): p50 / max of 5", StoreWorkloads.percentiles(listLatencies)))

        server.stop()
        let warmStart = try await server.start()
        rows.append(("cold start to /readyz with \(pods + 1000) objects (restart)", StoreWorkloads.format(warmStart)))

        let width = rows.map(\.0.count).max() ?? 0
        for (name, value) in rows {
            BenchOutput.say(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + value)
        }
        server.stop()
        if dataDir == nil { try? FileManager.default.removeItem(at: dir) }
    }
}

/// Progress lines appear as they are printed, also when stdout is a pipe (unbuffered writes).
enum BenchOutput {
    static func say(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
