import Foundation
import KubeStore
import Testing

/// Concurrent random operations, then a replay of all writes in revision order against a simple
/// reference model; every recorded result must match the model at its revision.
@Suite struct ModelBasedTests {
    enum Op: Sendable {
        case put(key: String, value: [UInt8], revision: Revision, prev: KeyValue?)
        case delete(key: String, revision: Revision, deleted: [KeyValue])
        case create(key: String, value: [UInt8], succeeded: Bool, revision: Revision, existing: KeyValue?)
        case update(key: String, value: [UInt8], expected: Revision, succeeded: Bool, revision: Revision, current: KeyValue?)
        case range(at: Revision, response: RangeResponse)
        case compactedRead(at: Revision)
    }

    static let keys = (0..<5).map { "/m/\($0)" }

    static func runTask(_ store: any KeyValueStore, task: Int, seed: UInt64, count: Int) async throws -> [Op] {
        var rng = SplitMix64(seed: seed &* 31 &+ UInt64(task))
        var ops: [Op] = []
        var seen: Revision = 1
        for i in 0..<count {
            let key = keys.randomElement(using: &rng)!
            let value = b("t\(task)-\(i)")
            switch Int.random(in: 0..<100, using: &rng) {
            case 0..<25:
                let r = try await store.put(key, value)
                ops.append(.put(key: key, value: value, revision: r.revision, prev: r.prevKV))
                seen = r.revision
            case 25..<37:
                let r = try await store.delete(.key(key))
                ops.append(.delete(key: key, revision: r.revision, deleted: r.deleted))
            case 37..<52:
                let r = try await store.create(key, value)
                ops.append(.create(key: key, value: value, succeeded: r.succeeded, revision: r.revision, existing: r.existing))
            case 52..<72:
                let expected = Bool.random(using: &rng)
                    ? (try await store.get(key))?.modRevision ?? 0 : Revision.random(in: 0...seen, using: &rng)
                let r = try await store.update(key, value, expectedModRevision: expected)
                ops.append(.update(key: key, value: value, expected: expected, succeeded: r.succeeded, revision: r.revision, current: r.current))
            case 72..<86:
                let r = try await store.range(RangeRequest(.prefix("/m/"), limit: Int.random(in: 0...3, using: &rng)))
                ops.append(.range(at: r.revision, response: r))
                seen = r.revision
            case 86..<98:
                let at = Revision.random(in: 1...seen, using: &rng)
                do {
                    let r = try await store.range(RangeRequest(.prefix("/m/"), revision: at))
                    ops.append(.range(at: at, response: r))
                } catch StoreError.compacted {
                    ops.append(.compactedRead(at: at))
                }
            default:
                if task == 0 && seen > 10 {
                    do { try await store.compact(seen - 8) } catch StoreError.compacted {}
                }
            }
        }
        return ops
    }

    @Test(arguments: Backend.embedded, Array(1...16) as [UInt64])
    func concurrentOperationsMatchReferenceModel(_ backend: Backend, seed: UInt64) async throws {
        let store = try backend.make()
        let tasks = 4
        let perTask = 80
        let watch = try store.watch(.prefix("/m/"), from: 2, prevKV: true)
        let ops = try await withThrowingTaskGroup(of: [Op].self) { group in
            for task in 0..<tasks {
                group.addTask { try await Self.runTask(store, task: task, seed: seed, count: perTask) }
            }
            var all: [Op] = []
            for try await ops in group { all += ops }
            return all
        }
        let final = try await store.currentRevision()

        // Replay writes in revision order into the model: states[r] = state at revision r.
        var writes: [Revision: Op] = [:]
        for op in ops {
            switch op {
            case .put(_, _, let r, _): writes[r] = op
            case .delete(_, let r, let deleted) where !deleted.isEmpty: writes[r] = op
            case .create(_, _, true, let r, _), .update(_, _, _, true, let r, _): writes[r] = op
            default: break
            }
        }
        #expect(writes.count == Int(final - 1), "every revision 2...\(final) has exactly one write")
        var states: [[String: KeyValue]] = [[:], [:]]  // revisions 0 and 1
        var events: [WatchEvent] = []
        for r in 2...max(final, 2) where r <= final {
            var state = states[Int(r) - 1]
            guard let op = writes[r] else { Issue.record("no write at \(r)"); return }
            func put(_ key: String, _ value: [UInt8]) {
                let prev = state[key]
                state[key] = KeyValue(key: key, value: value, createRevision: prev?.createRevision ?? r, modRevision: r, version: (prev?.version ?? 0) + 1)
                events.append(WatchEvent(type: .put, kv: state[key]!, prevKV: prev))
            }
            switch op {
            case .put(let key, let value, _, let prev):
                #expect(prev == state[key], "put prev at \(r)")
                put(key, value)
            case .delete(let key, _, let deleted):
                #expect(deleted == [state[key]].compactMap { $0 }, "delete at \(r)")
                events.append(WatchEvent(type: .delete, kv: KeyValue(key: key, value: [], createRevision: 0, modRevision: r, version: 0), prevKV: state[key]))
                state[key] = nil
            case .create(let key, let value, _, _, _):
                #expect(state[key] == nil, "create at \(r) of existing key")
                put(key, value)
            case .update(let key, let value, let expected, _, _, _):
                #expect((state[key]?.modRevision ?? 0) == expected, "update at \(r)")
                put(key, value)
            default: break
            }
            states.append(state)
        }
        // Check every non-write result against the model at its revision.
        for op in ops {
            switch op {
            case .create(let key, _, false, let r, let existing):
                #expect(existing != nil && existing == states[Int(r)][key], "failed create at \(r)")
            case .update(let key, _, let expected, false, let r, let current):
                #expect(current == states[Int(r)][key] && (current?.modRevision ?? 0) != expected, "failed update at \(r)")
            case .delete(let key, let r, let deleted) where deleted.isEmpty:
                #expect(states[Int(r)][key] == nil, "no-op delete at \(r)")
            case .range(let at, let response):
                let expected = states[Int(at)].values.sorted { $0.key < $1.key }
                #expect(response.count == expected.count, "range count at \(at)")
                #expect(response.kvs == Array(expected.prefix(response.kvs.count)), "range at \(at)")
                #expect(response.revision >= at && response.revision <= final)
            case .compactedRead(let at):
                #expect(at < (try await store.compactedRevision()))
            default: break
            }
        }
        // The watch saw exactly the model's events.
        var seen: [WatchEvent] = []
        if !events.isEmpty {
            for try await event in watch {
                seen.append(event)
                if event.revision == final { break }
            }
        }
        #expect(seen.count == events.count)
        #expect(seen == events)
        try await store.close()
    }
}
