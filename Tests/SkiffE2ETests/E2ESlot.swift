import Foundation
import Synchronization
import Testing

/// At most a few end-to-end tests at once (`SKIFF_E2E_PARALLEL`, default 2): each starts a
/// server, node fleets and kubectl processes, and on CI's 2 cores more of them at once starve
/// each other and the timing-bound unit tests running beside them. Every e2e suite carries
/// `.e2eSlot`; a test case holds a slot while it runs.
struct E2ESlot: SuiteTrait, TestTrait, TestScoping {
    var isRecursive: Bool { true }

    func provideScope(for test: Test, testCase: Test.Case?,
                      performing function: @Sendable () async throws -> Void) async throws {
        // Suites pass through; each test case takes a slot.
        guard testCase != nil else { return try await function() }
        await E2ESlots.shared.acquire()
        defer { E2ESlots.shared.release() }
        try await function()
    }
}

extension Trait where Self == E2ESlot {
    static var e2eSlot: E2ESlot { E2ESlot() }
}

/// A counting semaphore without busy waiting.
final class E2ESlots: Sendable {
    static let shared = E2ESlots(
        capacity: ProcessInfo.processInfo.environment["SKIFF_E2E_PARALLEL"].flatMap(Int.init) ?? 2)

    private struct State {
        var free: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        state = Mutex(State(free: max(1, capacity)))
    }

    func acquire() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let granted = state.withLock { state in
                if state.free > 0 {
                    state.free -= 1
                    return true
                }
                state.waiters.append(continuation)
                return false
            }
            if granted { continuation.resume() }
        }
    }

    func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.free += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
