import Foundation
import KubeStore
import Synchronization

/// The store benchmark's workloads, written once against ``KeyValueStore`` so every backend runs
/// exactly the same code (see ``BenchStoreCommand``).
struct StoreWorkloads: Sendable {
    var keys: Int
    var value: [UInt8]
    var seconds: Double
    var updates: Int

    /// The throughput/latency workloads, as `(row name, result)` in a fixed order.
    func measure(_ store: any KeyValueStore) async throws -> [(String, String)] {
        var rows: [(String, String)] = []
        let value = self.value
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

        // Loading is not measured. 100 puts per txn: etcd's default --max-txn-ops is 128.
        for start in stride(from: 0, to: keys, by: 100) {
            let ops = (start..<min(start + 100, keys)).map {
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
        return rows
    }

    /// The file-size workload: `updates` puts from 16 writers spread over 1,000 keys, writer 0
    /// compacting every 400 of its puts (keeping the last 1,000 revisions), then a final
    /// compaction at the current revision. The caller measures the backend's files afterwards.
    func churn(_ store: any KeyValueStore) async throws {
        let value = self.value
        let perWriter = updates / 16
        let compactEvery = 400
        _ = try await Self.throughput(writers: 16, seconds: .infinity, limit: perWriter) { w, i in
            let revision = try await store.put("/bench/size/\((w * perWriter + i) % 1000)", value).revision
            if w == 0 && i % compactEvery == compactEvery - 1 && revision > 1000 {
                try? await store.compact(revision - 1000)
            }
        }
        try await store.compact(try await store.currentRevision())
    }

    var sizeRowName: String { "DB size after \(updates) updates of 1k keys" }

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

    static func watchLatency(_ store: any KeyValueStore, value: [UInt8], samples: Int) async throws -> [Duration] {
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

    static func mebibytes(_ bytes: Int64) -> String {
        String(format: "%.1f MiB", Double(bytes) / 1_048_576)
    }
}

/// Put timestamps shared between the writer and the watching task.
private final class SendTimes: Sendable {
    let times = Mutex<[String: ContinuousClock.Instant]>([:])
}

extension Duration {
    var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) / 1e18
    }
}
