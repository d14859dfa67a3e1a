extension SQLiteStore {
    private struct BatchOutcome: Sendable {
        var revision: Revision
        var results: [Result<WriteResult, StoreError>]
        var published: [(revision: Revision, events: [WatchEvent])]
        var granted: [(LeaseID, Int64)]
        var revoked: [LeaseID]
    }

    /// Commits one batch in a single transaction (one fsync), then publishes watch events in
    /// revision order and updates the in-memory status. Called only by the group-commit leader,
    /// so batches never overlap.
    func commit(_ requests: [WriteRequest]) async -> [Result<WriteResult, StoreError>] {
        let start = status.withLock { $0.revision }
        let outcome: BatchOutcome
        do {
            outcome = try await uncancellableWrite { db in
                var outcome = BatchOutcome(revision: start, results: [], published: [], granted: [], revoked: [])
                for request in requests {
                    do {
                        try db.savepoint {
                            try Self.apply(request, db: db, outcome: &outcome)
                        }
                    } catch let error as StoreError {
                        outcome.results.append(.failure(error))
                    }
                }
                if outcome.revision != start {
                    try SQLiteSchema.setMeta(db, "revision", outcome.revision)
                }
                return outcome
            }
        } catch {
            let failure = StoreError.backend("commit: \(error)")
            return requests.map { _ in .failure(failure) }
        }
        status.withLock { status in
            status.revision = outcome.revision
            for (id, ttl) in outcome.granted { status.leases.insert(id, ttl: ttl) }
            for id in outcome.revoked { status.leases.remove(id) }
        }
        hub.publish(outcome.published, through: outcome.revision)
        return outcome.results
    }

    /// Applies one request; on a thrown error the caller's savepoint undoes its writes, and
    /// `outcome` is only modified after everything succeeded.
    private static func apply(_ request: WriteRequest, db: SQLiteConnection, outcome: inout BatchOutcome) throws {
        var target = SQLiteWriteTarget(db: db)
        switch request {
        case .txn(let txn):
            let (response, events) = try TxnEngine.apply(txn, current: outcome.revision, target: &target)
            if response.revision != outcome.revision {
                outcome.revision = response.revision
                outcome.published.append((response.revision, events))
            }
            outcome.results.append(.success(.txn(response)))
        case .grantLease(let id, let ttl):
            try db.cachedStatement("INSERT INTO lease (id, ttl) VALUES (?, ?)").execute([.integer(id), .integer(ttl)])
            outcome.granted.append((id, ttl))
            outcome.results.append(.success(.lease(id)))
        case .revokeLease(let id):
            guard try target.leaseExists(id) else { throw StoreError.leaseNotFound(id) }
            let keys = try target.keys(withLease: id)
            try db.cachedStatement("DELETE FROM lease WHERE id = ?").execute([.integer(id)])
            let deletes = TxnRequest(success: keys.map { .delete(.key($0)) })
            let (response, events) = try TxnEngine.apply(deletes, current: outcome.revision, target: &target)
            if response.revision != outcome.revision {
                outcome.revision = response.revision
                outcome.published.append((response.revision, events))
            }
            outcome.revoked.append(id)
            outcome.results.append(.success(.txn(response)))
        }
    }
}
