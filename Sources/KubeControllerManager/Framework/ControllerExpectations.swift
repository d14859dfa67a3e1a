import Synchronization

/// What a controller is waiting to see from its informers after its own writes (upstream's
/// `ControllerExpectations` with UID tracking for deletions): after creating N pods it expects
/// N adds, after deleting pods it expects their deletions. Until they are observed (or the
/// record is five minutes old) the controller must not act on its cache again, which would
/// otherwise lag its writes and make it create or delete twice.
public final class ControllerExpectations: Sendable {
    /// Upstream's `ExpectationsTimeout`.
    public static let timeout: Duration = .seconds(300)

    struct Record {
        var adds: Int
        var deletes: Int
        var deleteUIDs: Set<String>
        var setAt: ContinuousClock.Instant
    }

    private let records = Mutex<[String: Record]>([:])

    public init() {}

    /// True when nothing is outstanding for `key` (no record, all observed, or expired).
    public func satisfied(_ key: String, now: ContinuousClock.Instant = .now) -> Bool {
        records.withLock { records in
            guard let record = records[key] else { return true }
            if record.adds <= 0 && record.deletes <= 0 && record.deleteUIDs.isEmpty { return true }
            return now - record.setAt > Self.timeout
        }
    }

    /// Expects `adds` creations and the deletion of the objects with `deleteUIDs` (and
    /// `deletes` more without known UIDs), replacing what was expected before.
    public func expect(_ key: String, adds: Int = 0, deletes: Int = 0, deleteUIDs: Set<String> = [],
                       now: ContinuousClock.Instant = .now) {
        records.withLock {
            $0[key] = Record(adds: adds, deletes: deletes, deleteUIDs: deleteUIDs, setAt: now)
        }
    }

    /// Adds `adds` creations and the deletions of `deleteUIDs` to what is already expected
    /// (upstream's `RaiseExpectations`), for controllers that write one object at a time.
    public func raise(_ key: String, adds: Int = 0, deleteUIDs: Set<String> = [], now: ContinuousClock.Instant = .now) {
        records.withLock { records in
            var record = records[key] ?? Record(adds: 0, deletes: 0, deleteUIDs: [], setAt: now)
            if record.adds < 0 { record.adds = 0 }
            if record.deletes < 0 { record.deletes = 0 }
            record.adds += adds
            record.deleteUIDs.formUnion(deleteUIDs)
            record.setAt = now
            records[key] = record
        }
    }

    /// One expected creation was seen (or will never come: the create failed).
    public func creationObserved(_ key: String) {
        records.withLock { records in
            guard var record = records[key] else { return }
            record.adds -= 1
            records[key] = record
        }
    }

    /// The deletion of the object with `uid` was seen (or failed); nil counts one anonymous deletion.
    public func deletionObserved(_ key: String, uid: String? = nil) {
        records.withLock { records in
            guard var record = records[key] else { return }
            if let uid, record.deleteUIDs.remove(uid) != nil {
                records[key] = record
                return
            }
            if uid == nil { record.deletes -= 1 }
            records[key] = record
        }
    }

    /// Adds still expected for `key` (0 without a record).
    public func pendingAdds(_ key: String) -> Int { records.withLock { max(0, $0[key]?.adds ?? 0) } }

    /// Forgets `key` (its owner was deleted).
    public func delete(_ key: String) { _ = records.withLock { $0.removeValue(forKey: key) } }
}
