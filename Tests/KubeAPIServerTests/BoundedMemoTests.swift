import Synchronization
import Testing
@testable import KubeAPIServer

/// `"v\(key)"`, counting its calls.
private final class CountedFunction: Sendable {
    private let calls = Mutex(0)
    var count: Int { calls.withLock { $0 } }

    func callAsFunction(_ key: Int) -> String {
        calls.withLock { $0 += 1 }
        return "v\(key)"
    }
}

@Suite struct BoundedMemoTests {
    @Test func remembersUntilFullThenForgetsAll() {
        let memo = BoundedMemo<Int, String>(capacity: 2)
        let calls = CountedFunction()
        func value(_ key: Int) -> String { memo.value(for: key, calls.callAsFunction) }
        #expect(value(1) == "v1")
        #expect(value(1) == "v1")
        #expect(calls.count == 1)
        #expect(value(2) == "v2")
        #expect(value(3) == "v3")  // full: everything is forgotten, 3 is kept
        #expect(calls.count == 3)
        #expect(value(1) == "v1")
        #expect(calls.count == 4)
        #expect(value(3) == "v3")
        #expect(calls.count == 4)
    }

    @Test func errorsAreNotRemembered() {
        struct Failure: Error {}
        let memo = BoundedMemo<String, Int>(capacity: 4)
        #expect(throws: Failure.self) { try memo.value(for: "x") { _ throws(Failure) in throw Failure() } }
        #expect(memo.value(for: "x") { _ in 7 } == 7)
    }

    @Test func recurringMemoRemembersInputsSeenTwice() {
        let memo = RecurringMemo<Int, String>(capacity: 2)
        let calls = CountedFunction()
        func value(_ key: Int) -> String { memo.value(for: key, calls.callAsFunction) }
        #expect(value(1) == "v1")  // first sighting: made, not kept
        #expect(value(1) == "v1")  // second: made and kept
        #expect(value(1) == "v1")
        #expect(calls.count == 2)
        // One-off inputs do not push it out.
        for key in 10..<20 { #expect(value(key) == "v\(key)") }
        #expect(value(1) == "v1")
        #expect(calls.count == 12)
        // Full: everything is forgotten, the newcomer kept.
        _ = value(2); _ = value(2); _ = value(3); _ = value(3)
        #expect(calls.count == 16)
        _ = value(3)
        #expect(calls.count == 16)
    }

    @Test func recurringMemoDoesNotRememberErrors() {
        struct Failure: Error {}
        let memo = RecurringMemo<String, Int>(capacity: 4)
        for _ in 0..<3 {
            #expect(throws: Failure.self) { try memo.value(for: "x") { _ throws(Failure) in throw Failure() } }
        }
        #expect(memo.value(for: "x") { _ in 7 } == 7)
        #expect(memo.value(for: "x") { _ in 8 } == 7)
    }
}
