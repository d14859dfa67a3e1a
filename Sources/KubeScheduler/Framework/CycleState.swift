import Synchronization

/// Data plugins keep for one scheduling cycle (upstream's `framework.CycleState`): PreFilter
/// computes, Filter and Score read. Cloned for preemption's what-if runs.
public final class CycleState: Sendable {
    private let storage: Mutex<[String: any Sendable]>

    public init() { storage = Mutex([:]) }

    private init(copying values: [String: any Sendable]) { storage = Mutex(values) }

    public func read<Value: Sendable>(_ key: String, as type: Value.Type = Value.self) -> Value? {
        storage.withLock { $0[key] as? Value }
    }

    public func write(_ key: String, _ value: any Sendable) {
        storage.withLock { $0[key] = value }
    }

    public func clone() -> CycleState { CycleState(copying: storage.withLock { $0 }) }
}
