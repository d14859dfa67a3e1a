/// The single-key shapes the API server uses, built on ``KeyValueStore/txn(_:)``.
extension KeyValueStore {
    /// Unconditional put. Returns the new revision and the previous key-value.
    @discardableResult
    public func put(_ key: String, _ value: [UInt8], lease: LeaseID = 0) async throws -> (revision: Revision, prevKV: KeyValue?) {
        let response = try await txn(TxnRequest(success: [.put(key: key, value: value, lease: lease)]))
        guard case .put(let prev)? = response.results.first else { return (response.revision, nil) }
        return (response.revision, prev)
    }

    /// Deletes a range. Returns the store revision afterwards and the deleted key-values.
    @discardableResult
    public func delete(_ range: KeyRange) async throws -> (revision: Revision, deleted: [KeyValue]) {
        let response = try await txn(TxnRequest(success: [.delete(range)]))
        guard case .delete(let deleted)? = response.results.first else { return (response.revision, []) }
        return (response.revision, deleted)
    }

    /// Reads one key at the latest revision (or at `revision`).
    public func get(_ key: String, revision: Revision = 0) async throws -> KeyValue? {
        try await range(RangeRequest(.key(key), revision: revision)).kvs.first
    }

    /// Creates `key` only if absent (`version == 0`). On failure `existing` is the current value.
    public func create(_ key: String, _ value: [UInt8], lease: LeaseID = 0) async throws -> (succeeded: Bool, revision: Revision, existing: KeyValue?) {
        let response = try await txn(TxnRequest(
            compares: [Compare(key: key, .version(0))],
            success: [.put(key: key, value: value, lease: lease)],
            failure: [.range(RangeRequest(.key(key)))]))
        return (response.succeeded, response.revision, response.existing)
    }

    /// Compare-and-swap: puts only if the key's `modRevision == expectedModRevision`. On failure
    /// `current` is the key's current value (`nil` if it does not exist).
    public func update(_ key: String, _ value: [UInt8], expectedModRevision: Revision, lease: LeaseID = 0) async throws -> (succeeded: Bool, revision: Revision, current: KeyValue?) {
        let response = try await txn(TxnRequest(
            compares: [Compare(key: key, .modRevision(expectedModRevision))],
            success: [.put(key: key, value: value, lease: lease)],
            failure: [.range(RangeRequest(.key(key)))]))
        return (response.succeeded, response.revision, response.existing)
    }

    /// Deletes `key` only if its `modRevision == expectedModRevision`. On success `kv` is the
    /// deleted key-value; on failure the current one (`nil` if absent).
    public func deleteIfModRevision(_ key: String, expectedModRevision: Revision) async throws -> (succeeded: Bool, revision: Revision, kv: KeyValue?) {
        let response = try await txn(TxnRequest(
            compares: [Compare(key: key, .modRevision(expectedModRevision))],
            success: [.delete(.key(key))],
            failure: [.range(RangeRequest(.key(key)))]))
        if response.succeeded, case .delete(let deleted)? = response.results.first {
            return (true, response.revision, deleted.first)
        }
        return (response.succeeded, response.revision, response.existing)
    }
}

extension TxnResponse {
    /// The key-value read by a failure-branch range op, if any.
    fileprivate var existing: KeyValue? {
        guard !succeeded, case .range(let r)? = results.first else { return nil }
        return r.kvs.first
    }
}
