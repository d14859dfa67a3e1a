import GRPCTransport
import KubeStore

extension EtcdStore {
    public func currentRevision() async throws -> Revision {
        try checkOpen()
        var request = EtcdRPC.RangeRequest()
        request.key = EtcdKeys.probeKey
        request.countOnly = true
        let response = try await translate { try await kv.range(request) }
        return note(response.header)
    }

    /// etcd does not report its compacted revision directly, but a read at revision `r` fails
    /// exactly when `r` is below it: binary search between the last known compaction and now.
    public func compactedRevision() async throws -> Revision {
        try checkOpen()
        let known = state.withLock { $0.knownCompacted }
        var low = max(1, known)
        var high = try await currentRevision()
        while low < high {
            let mid = low + (high - low) / 2
            if try await isReadable(at: mid) { high = mid } else { low = mid + 1 }
        }
        let compacted = low == 1 && known < 1 ? 0 : low
        noteCompacted(compacted)
        return compacted
    }

    private func isReadable(at revision: Revision) async throws -> Bool {
        var request = EtcdRPC.RangeRequest()
        request.key = EtcdKeys.probeKey
        request.countOnly = true
        request.revision = revision
        do {
            _ = try await kv.range(request)
            return true
        } catch let error as GRPCError where EtcdErrors.isCompacted(error) {
            return false
        } catch {
            throw try translateSync(error, lease: 0)
        }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResponse {
        try checkOpen()
        let message = EtcdKeys.rangeRequest(request)
        let response = try await translate { try await kv.range(message) }
        return EtcdKeys.rangeResponse(response, revision: note(response.header))
    }

    public func txn(_ request: TxnRequest) async throws -> TxnResponse {
        try checkOpen()
        var message = EtcdRPC.TxnRequest()
        message.compare = request.compares.map(EtcdKeys.compare)
        message.success = request.success.map(EtcdKeys.requestOp)
        message.failure = request.failure.map(EtcdKeys.requestOp)
        let response = try await translate(leases: Self.leases(in: request)) {
            try await kv.txn(message)
        }
        let revision = note(response.header)
        return TxnResponse(
            succeeded: response.succeeded, revision: revision,
            results: response.responses.map { EtcdKeys.opResult($0, revision: revision) })
    }

    /// Compacts physically (the RPC returns once etcd has removed the old revisions from its
    /// backend), like the SQLite store, whose compaction is synchronous.
    public func compact(_ revision: Revision) async throws {
        try checkOpen()
        var message = EtcdRPC.CompactionRequest()
        message.revision = revision
        message.physical = true
        let response = try await translate { try await kv.compact(message) }
        note(response.header)
        noteCompacted(revision)
    }

    /// etcd's backend size: `(allocated, inUse)` bytes of its bbolt file (Maintenance.Status).
    public func backendSize() async throws -> (allocated: Int64, inUse: Int64) {
        try checkOpen()
        let response = try await translate { try await maintenance.status() }
        return (response.dbSize, response.dbSizeInUse)
    }

    /// Defragments etcd's backend file, returning free pages to the file system.
    public func defragment() async throws {
        try checkOpen()
        _ = try await translate { try await maintenance.defragment() }
    }

    // MARK: - Errors

    /// Runs an RPC and maps etcd's errors to ``StoreError``. `leases` are the leases the request
    /// names, to report which one etcd did not find.
    func translate<T>(leases: [LeaseID] = [], _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as GRPCError {
            if isClosed { throw StoreError.closed }
            if EtcdErrors.isCompacted(error) {
                throw StoreError.compacted(try await compactedRevision())
            }
            if EtcdErrors.isFutureRevision(error) {
                throw StoreError.futureRevision(try await currentRevision())
            }
            if EtcdErrors.isLeaseNotFound(error) {
                throw StoreError.leaseNotFound(try await missingLease(among: leases))
            }
            throw EtcdErrors.backend(error)
        } catch let error as StoreError {
            throw error
        } catch {
            if isClosed { throw StoreError.closed }
            throw StoreError.backend(String(describing: error))
        }
    }

    /// The non-async part of ``translate(leases:_:)`` for errors needing no follow-up RPC.
    func translateSync(_ error: any Error, lease: LeaseID) throws -> any Error {
        if isClosed { return StoreError.closed }
        guard let rpc = error as? GRPCError else { return error as? StoreError ?? StoreError.backend("\(error)") }
        if EtcdErrors.isLeaseNotFound(rpc) { return StoreError.leaseNotFound(lease) }
        return EtcdErrors.backend(rpc)
    }

    /// Which of `leases` etcd does not know (the first one, when it cannot tell).
    private func missingLease(among leases: [LeaseID]) async throws -> LeaseID {
        guard leases.count > 1 else { return leases.first ?? 0 }
        for id in leases where try await timeToLive(id) < 0 { return id }
        return leases[0]
    }

    /// Distinct non-zero leases named by the puts of a transaction (both branches).
    static func leases(in request: TxnRequest) -> [LeaseID] {
        var seen: [LeaseID] = []
        for case .put(_, _, let lease) in request.success + request.failure where lease != 0 && !seen.contains(lease) {
            seen.append(lease)
        }
        return seen
    }
}
