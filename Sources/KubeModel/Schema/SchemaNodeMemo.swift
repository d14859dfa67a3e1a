import Synchronization

/// Values other modules derive from one ``SchemaNode`` (server-side apply's view of its shape,
/// say), computed at the first use and then shared: a node is immutable, so what is derived
/// from it never changes. Each kind of value has its own ``Key`` and slot; reading a value once
/// made is one atomic load (no lock, no dictionary, no dynamic cast), since the hot paths of
/// every write ask for them at every field.
public final class SchemaNodeMemo: Sendable {
    /// Identifies one kind of derived value. Make each key once (a `static let`): every key takes
    /// a slot of its own, and a memo has ``capacity`` of them.
    public struct Key<Value: Sendable>: Sendable {
        @usableFromInline let slot: Int

        public init() {
            slot = SchemaNodeMemo.keysMade.add(1, ordering: .relaxed).oldValue
            precondition(slot < SchemaNodeMemo.capacity, "more than \(SchemaNodeMemo.capacity) SchemaNodeMemo keys")
        }
    }

    /// Slots per memo: the number of keys a process may make.
    public static let capacity = 8
    private static let keysMade = Atomic<Int>(0)

    /// A made value, boxed so that a slot holds one retained reference.
    @usableFromInline final class Box<Value: Sendable>: Sendable {
        @usableFromInline let value: Value
        @usableFromInline init(_ value: Value) { self.value = value }
    }

    // Each slot holds 0 or the bits of a retained `Box` of its key's value type.
    private let slot0 = Atomic<UInt>(0)
    private let slot1 = Atomic<UInt>(0)
    private let slot2 = Atomic<UInt>(0)
    private let slot3 = Atomic<UInt>(0)
    private let slot4 = Atomic<UInt>(0)
    private let slot5 = Atomic<UInt>(0)
    private let slot6 = Atomic<UInt>(0)
    private let slot7 = Atomic<UInt>(0)

    public init() {}

    deinit {
        for index in 0..<Self.capacity {
            let bits = load(slot: index)
            if bits != 0, let pointer = UnsafeRawPointer(bitPattern: bits) {
                Unmanaged<AnyObject>.fromOpaque(pointer).release()
            }
        }
    }

    @usableFromInline func load(slot index: Int) -> UInt {
        switch index {
        case 0: slot0.load(ordering: .acquiring)
        case 1: slot1.load(ordering: .acquiring)
        case 2: slot2.load(ordering: .acquiring)
        case 3: slot3.load(ordering: .acquiring)
        case 4: slot4.load(ordering: .acquiring)
        case 5: slot5.load(ordering: .acquiring)
        case 6: slot6.load(ordering: .acquiring)
        default: slot7.load(ordering: .acquiring)
        }
    }

    /// Stores `bits` into an empty slot: whether it did, and the slot's value after.
    @usableFromInline func storeIfEmpty(slot index: Int, _ bits: UInt) -> (stored: Bool, current: UInt) {
        func exchange(_ slot: borrowing Atomic<UInt>) -> (Bool, UInt) {
            let (stored, original) = slot.compareExchange(
                expected: 0, desired: bits, successOrdering: .acquiringAndReleasing, failureOrdering: .acquiring)
            return (stored, stored ? bits : original)
        }
        switch index {
        case 0: return exchange(slot0)
        case 1: return exchange(slot1)
        case 2: return exchange(slot2)
        case 3: return exchange(slot3)
        case 4: return exchange(slot4)
        case 5: return exchange(slot5)
        case 6: return exchange(slot6)
        default: return exchange(slot7)
        }
    }

    /// The value for `key`, made by `make` the first time. `make` runs without any lock (two
    /// threads may both make it; the first one stored is kept and returned to both), so it may
    /// use other nodes' memos. A `make` that throws stores nothing. Inlinable, so that callers
    /// specialise it: unspecialised, every read looked up the box type's generic metadata.
    @inlinable
    public func value<Value: Sendable>(_ key: Key<Value>, _ make: () throws -> Value) rethrows -> Value {
        if let known = load(key) { return known }
        let made = Unmanaged.passRetained(Box(try make()) as AnyObject)
        let bits = UInt(bitPattern: made.toOpaque())
        let (stored, current) = storeIfEmpty(slot: key.slot, bits)
        if !stored { made.release() }
        return Self.unbox(current, as: Value.self)
    }

    @inlinable
    func load<Value: Sendable>(_ key: Key<Value>) -> Value? {
        let bits = load(slot: key.slot)
        return bits == 0 ? nil : Self.unbox(bits, as: Value.self)
    }

    @inlinable
    static func unbox<Value: Sendable>(_ bits: UInt, as: Value.Type) -> Value {
        // A slot only ever holds a `Box<Value>` of its key's type.
        let object = Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(bitPattern: bits)!).takeUnretainedValue()
        return unsafeDowncast(object, to: Box<Value>.self).value
    }
}
