import Foundation
import NIOHTTP1
import OpenSSLTLS
import Synchronization

/// The API benchmark's workloads, each run by `clients` concurrent keep-alive connections.
struct APILoad: Sendable {
    let port: Int
    let tls: TLSContext
    let seconds: Double

    static let namespace = "default"
    static let configMaps = "/api/v1/namespaces/default/configmaps"

    static func configMap(_ name: String, value: String = "v") -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","labels":{"bench":"api"}},"data":{"key":"\#(value)"}}"#.utf8)
    }

    /// Runs `operation` on `clients` connections for `seconds`; returns operations/s and latencies.
    func timed(clients: Int, _ operation: @escaping @Sendable (inout BenchHTTPClient.Session, Int, Int) async throws -> Void)
        async throws -> (Double, [Duration]) {
        let clock = ContinuousClock()
        let deadline = clock.now + .milliseconds(Int(seconds * 1000))
        let started = clock.now
        let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
            for client in 0..<clients {
                group.addTask {
                    try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
                        var samples: [Duration] = []
                        var i = 0
                        while clock.now < deadline {
                            let t0 = clock.now
                            try await operation(&session, client, i)
                            samples.append(clock.now - t0)
                            i += 1
                        }
                        return samples
                    }
                }
            }
            var all: [Duration] = []
            for try await samples in group { all += samples }
            return all
        }
        let elapsed = clock.now - started
        return (Double(latencies.count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18), latencies)
    }

    static func expect(_ response: BenchHTTPClient.Response, _ status: Int, _ what: String) throws {
        guard response.status == status else {
            throw BenchHTTPClient.Failure(description: "\(what): HTTP \(response.status) \(String(decoding: response.body.prefix(300), as: UTF8.self))")
        }
    }

    func creates(clients: Int, prefix: String) async throws -> (Double, [Duration]) {
        try await timed(clients: clients) { session, client, i in
            let response = try await session.request(.POST, Self.configMaps, body: Self.configMap("\(prefix)-\(client)-\(i)"))
            try Self.expect(response, 201, "create")
        }
    }

    func gets(clients: Int) async throws -> (Double, [Duration]) {
        try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
            let response = try await session.request(.POST, Self.configMaps, body: Self.configMap("get-target"))
            guard response.status == 201 || response.status == 409 else { try Self.expect(response, 201, "create"); return }
        }
        return try await timed(clients: clients) { session, _, _ in
            try Self.expect(try await session.request(.GET, Self.configMaps + "/get-target"), 200, "get")
        }
    }

    /// Each client replaces its own object with PUT (unconditional: no resourceVersion).
    func updates(clients: Int) async throws -> (Double, [Duration]) {
        try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
            for client in 0..<clients {
                let created = try await session.request(.POST, Self.configMaps, body: Self.configMap("u\(clients)-\(client)"))
                guard created.status == 201 else { try Self.expect(created, 201, "create"); return }
            }
        }
        return try await timed(clients: clients) { session, client, i in
            let name = "u\(clients)-\(client)"
            try Self.expect(try await session.request(.PUT, Self.configMaps + "/" + name, body: Self.configMap(name, value: "\(i)")), 200, "update")
        }
    }

    /// `watchers` connections watch configmaps of one namespace; each of `writes` creates is
    /// timed from just before its request to its arrival at every watcher.
    func watchFanOut(watchers: Int, writes: Int) async throws -> [Duration] {
        let namespacePath = "/api/v1/namespaces"
        try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
            let ns = try await session.request(.POST, namespacePath, body: Array(#"{"metadata":{"name":"bench-watch"}}"#.utf8))
            guard ns.status == 201 || ns.status == 409 else { throw BenchHTTPClient.Failure(description: "namespace: \(ns.status)") }
        }
        let path = "/api/v1/namespaces/bench-watch/configmaps"
        let state = FanOutState()
        let clock = ContinuousClock()
        return try await withThrowingTaskGroup(of: [Duration].self) { group in
            for _ in 0..<watchers {
                group.addTask {
                    try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
                        try await session.startWatch(path + "?watch=true&resourceVersion=0")
                        state.ready.add(1, ordering: .sequentiallyConsistent)
                        var latencies: [Duration] = []
                        while latencies.count < writes {
                            let line = try await session.nextEventLine()
                            let arrived = clock.now
                            guard let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                                  let object = event["object"] as? [String: Any],
                                  let meta = object["metadata"] as? [String: Any], let name = meta["name"] as? String,
                                  let start = state.sent.withLock({ $0[name] }) else { continue }
                            latencies.append(arrived - start)
                        }
                        return latencies
                    }
                }
            }
            while state.ready.load(ordering: .sequentiallyConsistent) < watchers { try await Task.sleep(for: .milliseconds(10)) }
            try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
                for i in 0..<writes {
                    let name = "fan-\(i)"
                    state.sent.withLock { $0[name] = clock.now }
                    try Self.expect(try await session.request(.POST, path, body: Self.configMap(name)), 201, "create")
                    try await Task.sleep(for: .milliseconds(50))
                }
            }
            var all: [Duration] = []
            for try await latencies in group { all += latencies }
            return all
        }
    }

    static func pod(_ name: String) -> [UInt8] {
        Array(#"{"apiVersion":"v1","kind":"Pod","metadata":{"name":"\#(name)","labels":{"app":"bench"}},"spec":{"containers":[{"name":"c","image":"busybox:1.36","command":["sleep","3600"],"resources":{"requests":{"cpu":"10m","memory":"16Mi"}}}]}}"#.utf8)
    }

    func createPods(_ count: Int, clients: Int) async throws -> Double {
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in 0..<clients {
                group.addTask {
                    try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
                        var i = client
                        while i < count {
                            let response = try await session.request(.POST, "/api/v1/namespaces/default/pods", body: Self.pod("p-\(i)"))
                            try Self.expect(response, 201, "create pod")
                            i += clients
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - started
        return Double(count) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
    }

    func listPods(times: Int) async throws -> [Duration] {
        try await BenchHTTPClient.withSession(port: port, tls: tls) { session in
            let clock = ContinuousClock()
            var latencies: [Duration] = []
            for _ in 0..<times {
                let t0 = clock.now
                let response = try await session.request(.GET, "/api/v1/namespaces/default/pods")
                latencies.append(clock.now - t0)
                try Self.expect(response, 200, "list")
            }
            return latencies
        }
    }
}

/// What the fan-out writer and its watchers share: send instants by object name, ready count.
final class FanOutState: Sendable {
    let sent = Mutex<[String: ContinuousClock.Instant]>([:])
    let ready = Atomic<Int>(0)
}
