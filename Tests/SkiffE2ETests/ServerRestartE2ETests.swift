import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// kill -9 during writes, restart on the same data directory: every acknowledged object is
/// there, and a watch from a resourceVersion read before the crash resumes.
@Suite(.serialized, .e2eSlot)
struct ServerRestartE2ETests {
    /// Records which creates the server acknowledged (HTTP 201) before it died.
    final class Acknowledged: @unchecked Sendable {
        private let lock = NSLock()
        private var names: [String] = []
        func add(_ name: String) { lock.lock(); names.append(name); lock.unlock() }
        var all: [String] { lock.lock(); defer { lock.unlock() }; return names }
    }

    static func create(_ server: SkiffServerProcess, name: String) throws -> Bool {
        try create(baseURL: server.baseURL, tls: server.dataDirectory.appendingPathComponent("tls"), name: name)
    }

    /// POSTs a ConfigMap with curl and the admin certificate; true on 201 Created.
    static func create(baseURL: String, tls: URL, name: String) throws -> Bool {
        let body = #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","labels":{"crash":"test"}},"data":{"k":"v"}}"#
        let result = try Command.run("/usr/bin/curl", [
            "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
            "--cacert", tls.appendingPathComponent("ca.crt").path,
            "--cert", tls.appendingPathComponent("admin.crt").path,
            "--key", tls.appendingPathComponent("admin.key").path,
            "-H", "Content-Type: application/json", "-X", "POST", "--data", body,
            "\(baseURL)/api/v1/namespaces/default/configmaps",
        ])
        return result.stdout == "201"
    }

    @Test(.timeLimit(.minutes(5)))
    func acknowledgedWritesSurviveKill9AndWatchesResume() async throws {
        let first = try SkiffServerProcess()
        try await first.waitUntilReady()
        let before = try first.kubectl("get", "configmaps", "-o", "jsonpath={.metadata.resourceVersion}")
        #expect(before.status == 0, "\(before)")
        let listVersion = before.stdout

        // Two writers create objects as fast as they can; the server is killed under them.
        let acknowledged = Acknowledged()
        let writersDone = DispatchGroup()
        let baseURL = first.baseURL
        let tls = first.dataDirectory.appendingPathComponent("tls")
        for writer in 0..<2 {
            writersDone.enter()
            Thread {
                defer { writersDone.leave() }
                var failures = 0
                for i in 0..<10_000 where failures < 3 {
                    let name = "w\(writer)-\(i)"
                    // Once the server is gone every request fails; three in a row end the writer.
                    if (try? Self.create(baseURL: baseURL, tls: tls, name: name)) == true {
                        acknowledged.add(name)
                        failures = 0
                    } else {
                        failures += 1
                    }
                }
            }.start()
        }
        while acknowledged.all.count < 40 { try await Task.sleep(for: .milliseconds(20)) }
        first.crash()
        writersDone.wait()
        let acked = Set(acknowledged.all)
        #expect(acked.count >= 40)

        let second = try SkiffServerProcess(dataDirectory: first.dataDirectory)
        defer { second.kill() }
        try await second.waitUntilReady()
        let names = try second.kubectl("get", "configmaps", "-l", "crash=test", "-o", "jsonpath={.items[*].metadata.name}")
        #expect(names.status == 0, "\(names)")
        let present = Set(names.stdout.split(separator: " ").map(String.init))
        #expect(acked.subtracting(present).isEmpty, "acknowledged but lost: \(acked.subtracting(present).sorted())")

        // A watch from the pre-crash resourceVersion replays every create since then.
        let watch = try second.kubectl("get", "--raw",
            "/api/v1/namespaces/default/configmaps?watch=true&labelSelector=crash%3Dtest&resourceVersion=\(listVersion)&timeoutSeconds=2")
        #expect(watch.status == 0, "\(watch)")
        let added = Set(watch.stdout.split(separator: "\n").compactMap { line -> String? in
            guard let data = line.data(using: .utf8),
                  let event = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  event["type"] as? String == "ADDED",
                  let object = event["object"] as? [String: Any],
                  let meta = object["metadata"] as? [String: Any] else { return nil }
            return meta["name"] as? String
        })
        #expect(added == present, "watch replayed \(added.count) of \(present.count) objects")

        // And a new watch sees new writes.
        #expect(try Self.create(second, name: "after-restart"))
        let get = try second.kubectl("get", "configmap", "after-restart")
        #expect(get.status == 0, "\(get)")
    }
}
