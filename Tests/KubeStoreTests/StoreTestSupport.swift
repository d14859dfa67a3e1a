import Foundation
import KubeStore
import Testing

/// The backends every semantic test runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case memory, sqlite

    var testDescription: String { rawValue }

    func make(compaction: CompactionPolicy? = nil, watchBufferLimit: Int = 10_000) throws -> any KeyValueStore {
        switch self {
        case .memory:
            return InMemoryStore(compaction: compaction, watchBufferLimit: watchBufferLimit)
        case .sqlite:
            return try SQLiteStore(
                path: TempDir.make().appendingPathComponent("store.db").path,
                options: .init(compaction: compaction, watchBufferLimit: watchBufferLimit, compactionStep: 7))
        }
    }
}

enum TempDir {
    static func make() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("kubestore-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
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
