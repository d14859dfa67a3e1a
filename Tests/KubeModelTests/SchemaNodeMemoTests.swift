import KubeModel
import Synchronization
import Testing

@Suite struct SchemaNodeMemoTests {
    private struct Derived: Sendable, Equatable { let value: Int }
    private struct Other: Sendable, Equatable { let name: String }

    @Test func eachTypeIsMadeOnceAndKept() {
        let memo = SchemaNodeMemo()
        let calls = Atomic<Int>(0)
        for _ in 0..<3 {
            let derived = memo.value { () -> Derived in
                calls.add(1, ordering: .relaxed)
                return Derived(value: 42)
            }
            #expect(derived == Derived(value: 42))
        }
        #expect(calls.load(ordering: .relaxed) == 1)
        // Another type has its own slot and does not disturb the first.
        #expect(memo.value { Other(name: "x") } == Other(name: "x"))
        #expect(memo.value { Derived(value: 0) } == Derived(value: 42))
    }

    @Test func aFailedMakeKeepsNothing() throws {
        struct Failure: Error {}
        let memo = SchemaNodeMemo()
        #expect(throws: Failure.self) { try memo.value { () throws -> Derived in throw Failure() } }
        #expect(memo.value { Derived(value: 7) } == Derived(value: 7))
    }

    @Test func nodesOfTheBuiltInSchemaEachHaveTheirOwnMemo() throws {
        let pod = try #require(APISchema.builtIn.schema(for: GroupVersionKind(group: "", version: "v1", kind: "Pod")))
        let spec = try #require(pod.properties["spec"])
        #expect(pod.memo.value { Derived(value: 1) } == Derived(value: 1))
        #expect(spec.memo.value { Derived(value: 2) } == Derived(value: 2))
        #expect(pod.memo.value { Derived(value: 3) } == Derived(value: 1))
    }
}
