import ArgumentParser
import Foundation
import KubeStore
import Synchronization

/// `skiff bench store`: throughput and latency of the embedded SQLite store.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Benchmark the embedded SQLite key-value store."
    )

    @Option(help: "Directory for the benchmark databases (default: a new temporary directory).")
    var dataDir: String?

    @Option(help: "Keys under the prefix used for the range benchmark.")
    var keys: Int = 10_000

    @Option(help: "Value size in bytes.")
    var valueSize: Int = 1024

    @Option(help: "Seconds per throughput phase.")
    var seconds: Double = 3

    @Option(help: "Updates for the file-size phase (spread over 1,000 keys, with compaction).")
    var updates: Int = 100_000

    func run() async throws {
        let dir = URL(fileURLWithPath: dataDir ?? NSTemporaryDirectory() + "skiff-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let value = [UInt8](repeating: 0x61, count: valueSize)
        var rows: [(String, String)] = []
        print("skiff bench store — SQLite (WAL, synchronous=FULL), values \(valueSize) B, data in \(dir.path)")

        let store = try SQLiteStore(path: dir.appendingPathComponent("bench.db").path)
        for writers in [1, 16] {
            let rate = try await Self.throughput(writers: writers, seconds: seconds) { w, i in
                try await store.put("/bench/put/\(w)/\(i % 1000)", value)
            }
            rows.append(("durable puts/s, \(writers) writer\(writers == 1 ? "" : "s")", Self.format(rate)))
        }
        let cas = try await Self.throughput(writers: 16, seconds: seconds) { w, i in
            let key = "/bench/cas/\(w)/\(i % 100)"
            let current = try await store.get(key)?.modRevision ?? 0
            _ = try await store.update(key, value, expectedModRevision: current)
        }
        rows.append(("txn compare-and-swap/s, 16 writers", Self.format(cas)))

        for start in stride(from: 0, to: keys, by: 250) {
            let ops = (start..<min(start + 250, keys)).map {
                TxnOp.put(key: String(format: "/bench/range/%08d", $0), value: value, lease: 0)
            }
            _ = try await store.txn(TxnRequest(success: ops))
        }
        var rangeLatencies: [Duration] = []
        for _ in 0..<50 {
            let began = ContinuousClock.now
            let response = try await store.range(RangeRequest(.prefix("/bench/range/")))
            rangeLatencies.append(ContinuousClock.now - began)
            precondition(response.count == keys)
        }
        rows.append(("range of \(keys)-key prefix p50 / p99", Self.percentiles(rangeLatencies)))

        let watchLatencies = try await Self.watchLatency(store, value: value, samples: 500)
        rows.append(("watch latency put→event p50 / p99", Self.percentiles(watchLatencies)))
        try await store.close()

        let sizePath = dir.appendingPathComponent("size.db").path
        let sized = try SQLiteStore(path: sizePath)
        let perWriter = updates / 16
        let compactEvery = 400
        _ = try await Self.throughput(writers: 16, seconds: .infinity, limit: perWriter) { w, i in
            let revision = try await sized.put("/bench/size/\((w * perWriter + i) % 1000)", value).revision
            // Writer 0 compacts every `compactEvery` of its puts, keeping the last 1,000 revisions.
            if w == 0 && i % compactEvery == compactEvery - 1 && revision > 1000 {
                try? await sized.compact(revision - 1000)
            }
        }
        try await sized.compact(try await sized.currentRevision())
        try await sized.close()
        let bytes = ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
            let attributes = try? FileManager.default.attributesOfItem(atPath: sizePath + suffix)
            return total + ((attributes?[.size] as? NSNumber)?.int64Value ?? 0)
        }
        rows.append(("DB size after \(updates) updates of 1k keys", String(format: "%.1f MiB", Double(bytes) / 1_048_576)))

        let width = rows.map(\.0.count).max() ?? 0
        print(String(repeating: "-", count: width + 20))
        for (name, result) in rows {
            print(name.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + result)
        }
        if dataDir == nil { try? FileManager.default.removeItem(at: dir) }
    }

    /// Runs `body(writer, i)` from `writers` concurrent tasks for `seconds` (or `limit` calls
    /// each); returns calls per second.
    static func throughput(
        writers: Int, seconds: Double, limit: Int = .max,
        _ body: @escaping @Sendable (Int, Int) async throws -> Void
    ) async throws -> Double {
        let clock = ContinuousClock()
        let began = clock.now
        let deadline = seconds.isFinite ? began + .milliseconds(Int(seconds * 1000)) : nil
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for writer in 0..<writers {
                group.addTask {
                    var i = 0
                    while i < limit, deadline.map({ clock.now < $0 }) ?? true {
                        try await body(writer, i)
                        i += 1
                    }
                    return i
                }
            }
            return try await group.reduce(0, +)
        }
        return Double(total) / (clock.now - began).seconds
    }

    static func watchLatency(_ store: SQLiteStore, value: [UInt8], samples: Int) async throws -> [Duration] {
        let sent = SendTimes()
        let stream = try store.watch(.prefix("/bench/watch/"), from: 0, prevKV: false)
        return try await withThrowingTaskGroup(of: [Duration].self) { group in
            group.addTask {
                var latencies: [Duration] = []
                for try await event in stream {
                    let now = ContinuousClock.now
                    if let start = sent.times.withLock({ $0[event.kv.key] }) { latencies.append(now - start) }
                    if latencies.count == samples { break }
                }
                return latencies
            }
            for i in 0..<samples {
                let key = "/bench/watch/\(i)"
                sent.times.withLock { $0[key] = ContinuousClock.now }
                try await store.put(key, value)
            }
            return try await group.next() ?? []
        }
    }

    static func percentiles(_ values: [Duration]) -> String {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return "n/a" }
        let p50 = sorted[sorted.count / 2]
        let p99 = sorted[min(sorted.count - 1, Int(Double(sorted.count) * 0.99))]
        return "\(format(p50)) / \(format(p99))"
    }

    static func format(_ duration: Duration) -> String {
        let ms = duration.seconds * 1000
        return ms < 1 ? String(format: "%.0f µs", ms * 1000) : String(format: "%.2f ms", ms)
    }

    static func format(_ rate: Double) -> String {
        String(format: "%.0f", rate)
    }
}

/// Put timestamps shared between the writer and the watching task.
private final class SendTimes: Sendable {
    let times = Mutex<[String: ContinuousClock.Instant]>([:])
}

extension Duration {
    fileprivate var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
