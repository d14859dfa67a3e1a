import Foundation
import SkiffTestSupport
import KubeStore
import Testing

@Suite struct SQLitePersistenceTests {
    @Test func reopenRestoresRevisionCompactionAndLeases() async throws {
        let path = try TempDir.make().appendingPathComponent("reopen.db").path
        let store = try SQLiteStore(path: path)
        let lease = try await store.grantLease(ttlSeconds: 30)
        for i in 0..<20 { try await store.put("/r/\(i % 5)", b("v\(i)")) }
        try await store.put("/r/leased", b("l"), lease: lease)
        try await store.delete(.key("/r/0"))
        try await store.compact(15)
        let revision = try await store.currentRevision()
        let before = try await store.range(RangeRequest(.prefix("/")))
        let pastBefore = try await store.range(RangeRequest(.prefix("/"), revision: 16))
        try await store.close()

        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.currentRevision() == revision)
        #expect(try await reopened.compactedRevision() == 15)
        #expect(try await reopened.range(RangeRequest(.prefix("/"))) == before)
        #expect(try await reopened.range(RangeRequest(.prefix("/"), revision: 16)) == pastBefore)
        await #expect(throws: StoreError.compacted(15)) { try await reopened.range(RangeRequest(.prefix("/"), revision: 14)) }
        #expect(try await reopened.keepAliveLease(lease) == 30)
        let next = try await reopened.grantLease(ttlSeconds: 5)
        #expect(next != lease)
        let history = try await WatchTests.collect(try reopened.watch(.prefix("/"), from: 16, prevKV: true), until: revision)
        #expect(history.map(\.revision) == Array(16...revision))
        #expect(try await reopened.expireLeases(now: Date().addingTimeInterval(31)).contains(lease))
        #expect(try await reopened.get("/r/leased") == nil)
        #expect(try await reopened.currentRevision() == revision + 1)
        #expect(try await reopened.integrityCheck() == "ok")
        try await reopened.close()
    }


    /// SIGKILLs a writer at random moments and checks every acknowledged write survived.
    @Test(.timeLimit(.minutes(2))) func acknowledgedWritesSurviveSigkill() async throws {
        let executable = try #require(
            BuiltExecutables.skiff(),
            "skiff executable not found next to the test bundle (\(Bundle.main.bundleURL.path)); build the package (swift build) or set SKIFF_EXECUTABLE")
        let dir = try TempDir.make()
        let db = dir.appendingPathComponent("crash.db").path
        var rng = SplitMix64(seed: UInt64(Date().timeIntervalSince1970))
        var totalAcks = 0
        for round in 0..<15 {
            let outPath = dir.appendingPathComponent("out-\(round).txt").path
            _ = FileManager.default.createFile(atPath: outPath, contents: nil)
            let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
            let process = Process()
            process.executableURL = executable
            process.arguments = ["debug", "store-writer", "--db", db, "--writers", "8"]
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            try await Task.sleep(for: .milliseconds(Int.random(in: 50...400, using: &rng) + 100))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try output.close()
            #expect(process.terminationReason == .uncaughtSignal, "writer exited early in round \(round)")

            let text = try String(contentsOfFile: outPath, encoding: .utf8)
            let acks: [(key: String, revision: Revision)] = text.split(separator: "\n").compactMap { line in
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "ack", let revision = Revision(parts[2]) else { return nil }
                return (String(parts[1]), revision)
            }
            totalAcks += acks.count
            let store = try SQLiteStore(path: db)
            #expect(try await store.integrityCheck() == "ok")
            let current = try await store.currentRevision()
            // Only fresh keys are ever put, so revision = 1 + number of keys.
            let all = try await store.range(RangeRequest(.prefix("/crash/"), keysOnly: true))
            #expect(Revision(all.count) == current - 1, "round \(round)")
            #expect(Set(all.kvs.map(\.modRevision)).count == all.count)
            #expect(Set(acks.map(\.revision)).count == acks.count)
            for ack in acks {
                let kv = try await store.get(ack.key)
                #expect(kv?.modRevision == ack.revision, "lost ack \(ack.key) in round \(round)")
                #expect(kv?.value == Self.value(for: ack.key, size: 200))
            }
            try await store.close()
        }
        #expect(totalAcks > 0, "the writer never acknowledged anything")
    }

    /// Mirrors `DebugCommand.StoreWriter.value(for:size:)`.
    static func value(for key: String, size: Int) -> [UInt8] {
        let seed = Array(key.utf8)
        return (0..<size).map { seed[$0 % seed.count] }
    }
}
