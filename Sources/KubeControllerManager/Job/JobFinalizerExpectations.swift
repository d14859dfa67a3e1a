import Synchronization

/// The pods (by UID) whose tracking finalizer the Job controller removed and has not yet
/// seen removed in its cache (upstream's `uidTrackingExpectations`), so they are not
/// counted twice.
final class JobFinalizerExpectations: Sendable {
    private let expected = Mutex<[String: Set<String>]>([:])

    func expectRemovals(_ key: String, _ uids: [String]) {
        expected.withLock { $0[key, default: []].formUnion(uids) }
    }

    func removalObserved(_ key: String, _ uid: String) {
        expected.withLock { expected in
            expected[key]?.remove(uid)
            if expected[key]?.isEmpty == true { expected[key] = nil }
        }
    }

    func expectedUIDs(_ key: String) -> Set<String> { expected.withLock { $0[key] ?? [] } }

    func delete(_ key: String) { _ = expected.withLock { $0.removeValue(forKey: key) } }
}
