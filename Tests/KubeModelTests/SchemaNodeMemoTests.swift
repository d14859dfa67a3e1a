import KubeModel
import Synchronization
import Testing

@Suite struct SchemaNodeMemoTests {
    private struct Derived: Sendable, Equatable { let value: Int }
    private struct Other: Sendable, Equatable { let name: String }
    private static let derived = SchemaNodeMemo.Key<Derived>()
    private static let other = SchemaNodeMemo.Key<Other>()

    @Test func eachTypeIsMadeOnceAndKept() {
        let memo = SchemaNodeMemo()
        let calls = Atomic<Int>(0)
        for _ in 0..<3 {
            let derived = memo.value(Self.derived) { () -> Derived in
                calls.add(1, ordering: .relaxed)
                return Derived(value: 42)
            }
            #expect(derived == Derived(value: 42))
        }
        #expect(calls.load(ordering: .relaxed) == 1)
        // Another key has its own slot and does not disturb the first.
        #expect(memo.value(Self.other) { Other(name: "x") } == Other(name: "x"))
        #expect(memo.value(Self.derived) { Derived(value: 0) } == Derived(value: 42))
    }

    @Test func aFailedMakeKeepsNothing() throws {
        struct Failure: Error {}
        let memo = SchemaNodeMemo()
        #expect(throws: Failure.self) { try memo.value(Self.derived) { () throws -> Derived in throw Failure() } }
        #expect(memo.value(Self.derived) { Derived(value: 7) } == Derived(value: 7))
    }

    @Test func nodesOfTheBuiltInSchemaEachHaveTheirOwnMemo() throws {
        let pod = try #require(APISchema.builtIn.schema(for: GroupVersionKind(group: "", version: "v1", kind: "Pod")))
        let spec = try #require(pod.properties["spec"])
        #expect(pod.memo.value(Self.derived) { Derived(value: 1) } == Derived(value: 1))
        #expect(spec.memo.value(Self.derived) { Derived(value: 2) } == Derived(value: 2))
        #expect(pod.memo.value(Self.derived) { Derived(value: 3) } == Derived(value: 1))
    }
}

extension SchemaNodeMemoTests {
    private final class Counted: Sendable {
        static let made = Atomic<Int>(0)
        static let freed = Atomic<Int>(0)
        init() { Self.made.add(1, ordering: .relaxed) }
        deinit { Self.freed.add(1, ordering: .relaxed) }
    }
    private static let counted = SchemaNodeMemo.Key<Counted>()

    /// Values made by threads that lost the race are released, and a memo releases its values
    /// when it goes.
    @Test func concurrentMakersAgreeAndNothingLeaks() async {
        func race() async -> Int {
            let memo = SchemaNodeMemo()
            return await withTaskGroup(of: ObjectIdentifier.self) { group in
                for _ in 0..<8 { group.addTask { ObjectIdentifier(memo.value(Self.counted) { Counted() }) } }
                return await Set(group.reduce(into: []) { $0.append($1) }).count
            }
        }
        #expect(await race() == 1)
        #expect(Counted.made.load(ordering: .relaxed) == Counted.freed.load(ordering: .relaxed))
    }
}
