import ArgumentParser
import Foundation
import KubeStore
import KubeStoreEtcd

/// `skiff bench store`: throughput and latency of the embedded SQLite store and, for comparison,
/// of a real etcd (started by the benchmark) through ``EtcdStore`` — the same workloads
/// (``StoreWorkloads``) against each backend.
struct BenchStoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "store",
        abstract: "Benchmark the embedded SQLite key-value store (and etcd, with --backend)."
    )

    enum Backend: String, ExpressibleByArgument, CaseIterable {
        case sqlite, etcd, both
    }

    @Option(help: "Backend to measure: sqlite, etcd (a local etcd started by the benchmark) or both.")
    var backend: Backend = .sqlite

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
        let workloads = StoreWorkloads(
            keys: keys, value: [UInt8](repeating: 0x61, count: valueSize), seconds: seconds, updates: updates)
        print("skiff bench store — values \(valueSize) B, data in \(dir.path)")

        var columns: [(name: String, rows: [(String, String)])] = []
        if backend != .etcd {
            print("SQLite: WAL, synchronous=FULL …")
            columns.append(("sqlite", try await Self.sqlite(workloads, in: dir.appendingPathComponent("sqlite"))))
        }
        if backend != .sqlite {
            print("etcd \(Self.etcdVersion() ?? "?"): single member on loopback, default settings (WAL fsync per commit) …")
            columns.append(("etcd", try await Self.etcd(workloads, in: dir.appendingPathComponent("etcd"))))
        }
        Self.printTable(columns)
        if backend != .sqlite {
            print("etcd DB size: its bbolt file (member/snap/db) after compaction + defragment (and before defragment);")
            print("the WAL directory (preallocated 64 MiB segments) is shown separately. SQLite: db + -wal + -shm, no VACUUM.")
        }
        if dataDir == nil { try? FileManager.default.removeItem(at: dir) }
    }

    static func sqlite(_ workloads: StoreWorkloads, in dir: URL) async throws -> [(String, String)] {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let store = try SQLiteStore(path: dir.appendingPathComponent("bench.db").path)
        var rows = try await workloads.measure(store)
        try await store.close()

        let sizePath = dir.appendingPathComponent("size.db").path
        let sized = try SQLiteStore(path: sizePath)
        try await workloads.churn(sized)
        try await sized.close()
        let bytes = ["", "-wal", "-shm"].reduce(Int64(0)) { total, suffix in
            total + fileSize(sizePath + suffix)
        }
        rows.append((workloads.sizeRowName, StoreWorkloads.mebibytes(bytes)))
        return rows
    }

    /// Runs the workloads against a fresh etcd, then the size workload against another fresh one.
    static func etcd(_ workloads: StoreWorkloads, in dir: URL) async throws -> [(String, String)] {
        var rows = try await EtcdServer.withServer(in: dir.appendingPathComponent("main")) { server in
            try await EtcdStore.withStore(endpoint: server.endpoint) { store in
                try await workloads.measure(store)
            }
        }
        let size = try await EtcdServer.withServer(in: dir.appendingPathComponent("size")) { server in
            try await EtcdStore.withStore(endpoint: server.endpoint) { store in
                try await workloads.churn(store)
                let db = server.dataDirectory.appendingPathComponent("member/snap/db").path
                let beforeDefrag = fileSize(db)
                try await store.defragment()
                let wal = directorySize(server.dataDirectory.appendingPathComponent("member/wal"))
                return "\(StoreWorkloads.mebibytes(fileSize(db))) (\(StoreWorkloads.mebibytes(beforeDefrag)) before defrag; WAL dir \(StoreWorkloads.mebibytes(wal)))"
            }
        }
        rows.append((workloads.sizeRowName, size))
        return rows
    }

    static func printTable(_ columns: [(name: String, rows: [(String, String)])]) {
        guard let first = columns.first else { return }
        let names = first.rows.map(\.0)
        let nameWidth = names.map(\.count).max() ?? 0
        let widths = columns.map { column in max(column.name.count, column.rows.map(\.1.count).max() ?? 0) }
        func line(_ name: String, _ cells: [String]) -> String {
            zip(cells, widths).reduce(name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)) {
                $0 + "  " + $1.0.padding(toLength: $1.1, withPad: " ", startingAt: 0)
            }
        }
        print(String(repeating: "-", count: nameWidth + widths.reduce(0) { $0 + $1 + 2 }))
        print(line("", columns.map(\.name)))
        for (index, name) in names.enumerated() {
            print(line(name, columns.map { $0.rows.indices.contains(index) ? $0.rows[index].1 : "" }))
        }
    }

    static func fileSize(_ path: String) -> Int64 {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
    }

    static func directorySize(_ url: URL) -> Int64 {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []
        return files.reduce(0) { $0 + fileSize(url.appendingPathComponent($1).path) }
    }

    /// `etcd --version`'s first line's version, for the report.
    static func etcdVersion() -> String? {
        guard let executable = EtcdServer.locateExecutable() else { return nil }
        let process = Process()
        let pipe = Pipe()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--version"]
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return nil }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return output.split(separator: "\n").first.map { $0.replacingOccurrences(of: "etcd Version: ", with: "") }
    }
}
