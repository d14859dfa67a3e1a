import Foundation
import KubeStore
import KubeStoreEtcd
import Testing

/// The backends the semantic tests run against: `allCases` includes a real etcd (through
/// `EtcdStore`); `embedded` are the ones Skiff implements itself (and can configure: buffer
/// limits, compaction policy, lease expiry with a fake clock).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite, etcd

    static let embedded: [Backend] = [.memory, .sqlite]

    var testDescription: String { rawValue }

    func make(compaction: CompactionPolicy? = nil, watchBufferLimit: Int = 10_000) throws -> any KeyValueStore {
        switch self {
        case .memory:
            return InMemoryStore(compaction: compaction, watchBufferLimit: watchBufferLimit)
        case .etcd:
            throw StoreError.backend("etcd runs as a process: use withStore")
        case .sqlite:
            return try SQLiteStore(
                path: TempDir.make().appendingPathComponent("store.db").path,
                options: .init(compaction: compaction, watchBufferLimit: watchBufferLimit, compactionStep: 7))
        }
    }
}

extension Backend {
    /// Runs `body` against a fresh store of this backend (for etcd: its own etcd process on free
    /// loopback ports, stopped afterwards; the test fails — never skips — if etcd is missing).
    func withStore(
        compaction: CompactionPolicy? = nil, _ body: (any KeyValueStore) async throws -> Void
    ) async throws {
        guard self == .etcd else {
            try await body(try make(compaction: compaction))
            return
        }
        guard EtcdServer.locateExecutable() != nil else {
            Issue.record("etcd is not installed (expected /usr/bin/etcd); run scripts/setup.sh, which installs etcd-server")
            return
        }
        let dir = try TempDir.make()
        defer { try? FileManager.default.removeItem(at: dir) }
        try await EtcdServer.withServer(in: dir) { server in
            try await EtcdStore.withStore(endpoint: server.endpoint) { store in try await body(store) }
        }
    }
}

/// Scratch directories. Stores opened by a test stay open until the test drops them, so their
/// directories cannot be removed by the test itself: each test process keeps its directories
/// under one root named after its pid, and removes the roots of test processes that have ended.
enum TempDir {
    static func make() throws -> URL {
        let url = root.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static let prefix = "kubestore-tests-pid"

    private static let root: URL = {
        let temporary = FileManager.default.temporaryDirectory
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for entry in entries where entry.hasPrefix(prefix) {
            guard let pid = Int32(entry.dropFirst(prefix.count)), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(entry))
        }
        return temporary.appendingPathComponent("\(prefix)\(getpid())")
    }()
}

func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// A tiny deterministic PRNG so failures reproduce by seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
