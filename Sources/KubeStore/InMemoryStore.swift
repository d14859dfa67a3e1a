import Foundation
import Synchronization

/// A complete in-memory ``KeyValueStore`` with the same semantics as ``SQLiteStore`` (MVCC
/// history, compaction, watches, leases), for tests and ephemeral use. Nothing is persisted.
public final class InMemoryStore: KeyValueStore {
    private let state = Mutex(MemoryMVCC())
    private let hub: WatchHub
    private let compaction: CompactionPolicy?

    /// - Parameters:
    ///   - compaction: automatic compaction done by ``runMaintenance()`` (`nil`: none).
    ///   - watchBufferLimit: undelivered revisions a watcher may buffer before it overflows.
    public init(compaction: CompactionPolicy? = nil, watchBufferLimit: Int = 10_000) {
        self.hub = WatchHub(revision: 1, bufferLimit: watchBufferLimit)
        self.compaction = compaction
    }

    public func currentRevision() async throws -> Revision {
        try read { $0.revision }
    }

    public func compactedRevision() async throws -> Revision {
        try read { $0.compacted }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResponse {
        try read { try $0.range(request, current: $0.revision) }
    }

    public func txn(_ request: TxnRequest) async throws -> TxnResponse {
        try write { state in try TxnEngine.apply(request, current: state.revision, target: &state) }
    }

    /// Runs a write under the state lock and publishes its events before releasing it, so
    /// publication order is revision order.
    private func write(
        _ body: (inout MemoryMVCC) throws -> (response: TxnResponse, events: [WatchEvent])
    ) throws -> TxnResponse {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.closed }
            let (response, events) = try body(&state)
            if response.revision != state.revision {
                state.revision = response.revision
                hub.publish([(response.revision, events)], through: response.revision)
            }
            return response
        }
    }

    private func read<T>(_ body: (borrowing MemoryMVCC) throws -> T) throws -> T {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.closed }
            return try body(state)
        }
    }

    public func watch(_ range: KeyRange, from revision: Revision, prevKV: Bool) throws -> WatchStream {
        let bounds = range.bounds
        let compacted = try read { $0.compacted }
        if revision != 0 && revision <= compacted { throw StoreError.compacted(compacted) }
        let (live, upTo) = try hub.register(bounds: bounds, prevKV: prevKV, from: revision)
        return WatchStream(
            live: live, historyFrom: revision, historyTo: upTo,
            loadHistory: { [self] from, to in
                let end = min(to, from + 1023)
                let events = try read { try $0.events(from: from, to: end, bounds: bounds, prevKV: prevKV) }
                return (events, end + 1)
            })
    }

    public func compact(_ revision: Revision) async throws {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.closed }
            if revision <= state.compacted { throw StoreError.compacted(state.compacted) }
            if revision > state.revision { throw StoreError.futureRevision(state.revision) }
            state.compact(to: revision)
        }
    }

    public func grantLease(ttlSeconds: Int64) async throws -> LeaseID {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.closed }
            let id = state.leases.allocateID()
            state.leases.insert(id, ttl: ttlSeconds)
            return id
        }
    }

    @discardableResult
    public func revokeLease(_ id: LeaseID) async throws -> Revision {
        try write { state in
            guard state.leases.contains(id) else { throw StoreError.leaseNotFound(id) }
            let keys = state.keys(withLease: id)
            state.leases.remove(id)
            let request = TxnRequest(success: keys.map { .delete(.key($0)) })
            return try TxnEngine.apply(request, current: state.revision, target: &state)
        }.revision
    }

    @discardableResult
    public func keepAliveLease(_ id: LeaseID) async throws -> Int64 {
        try state.withLock { state in
            guard !state.closed else { throw StoreError.closed }
            guard let ttl = state.leases.keepAlive(id) else { throw StoreError.leaseNotFound(id) }
            return ttl
        }
    }

    @discardableResult
    public func expireLeases(now: Date) async throws -> [LeaseID] {
        let expired = try read { $0.leases.expired(now: now) }
        var revoked: [LeaseID] = []
        for id in expired {
            do {
                try await revokeLease(id)
                revoked.append(id)
            } catch StoreError.leaseNotFound {
                continue  // revoked concurrently
            }
        }
        return revoked
    }

    public func runMaintenance() async throws {
        try await MaintenanceLoop(policy: compaction).run(self)
    }

    public func close() async throws {
        state.withLock { $0.closed = true }
        hub.close()
    }

    /// Number of registered watchers (for tests).
    public var activeWatchers: Int { hub.watcherCount }
}
