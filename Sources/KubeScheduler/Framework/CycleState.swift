/// Data plugins keep for one scheduling cycle (upstream's `framework.CycleState`): PreFilter
/// computes, Filter and Score read. Cloned for preemption's what-if runs.
///
/// One typed slot per ``CycleState/Key``, so a read is an array load and no dictionary lookup,
/// lock or dynamic cast. A cycle runs on one thread at a time (the scheduler's), which is what
/// makes the unsynchronised slots safe to send.
public final class CycleState: @unchecked Sendable {
    /// A slot for one kind of data; each slot number belongs to exactly one `Value` type.
    public struct Key<Value: Sendable>: Sendable {
        let slot: Int

        init(_ slot: Slot) { self.slot = slot.rawValue }
    }

    /// Every slot there is (one per plugin and extension point that keeps data).
    enum Slot: Int, CaseIterable {
        case skippedFilters
        case nodeAffinityPreFilter, nodeAffinityPreScore
        case taintTolerationPreScore
        case podTopologySpreadPreFilter, podTopologySpreadPreScore
        case interPodAffinityPreFilter, interPodAffinityPreScore
        case imageLocalityPreScore
        case volumeBindingPreFilter, volumeRestrictionsPreFilter, volumeZonePreFilter
    }

    /// A value in a slot, boxed so a slot holds any type without an existential.
    private final class Box<Value: Sendable> {
        let value: Value

        init(_ value: Value) { self.value = value }
    }

    private let slots: UnsafeMutablePointer<AnyObject?>

    public init() {
        slots = .allocate(capacity: Slot.allCases.count)
        slots.initialize(repeating: nil, count: Slot.allCases.count)
    }

    deinit {
        slots.deinitialize(count: Slot.allCases.count)
        slots.deallocate()
    }

    public func read<Value>(_ key: Key<Value>) -> Value? {
        guard let box = slots[key.slot] else { return nil }
        return unsafeDowncast(box, to: Box<Value>.self).value
    }

    public func write<Value>(_ key: Key<Value>, _ value: Value) {
        slots[key.slot] = Box(value)
    }

    /// A copy sharing the (immutable) values.
    public func clone() -> CycleState {
        let copy = CycleState()
        copy.slots.update(from: slots, count: Slot.allCases.count)
        return copy
    }
}
