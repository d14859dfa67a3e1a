import Foundation

/// A revisioned, watchable key-value store with etcd v3 KV semantics (modelled on etcd's
/// `mvcc/kv.go` and kine's `Backend`). The Kubernetes API server is its only user.
///
/// ## Revisions
/// - There is one store-wide ``Revision``. An empty store is at revision **1**; the first write
///   gets revision **2** (exactly like etcd, whose header revision is 1 on a fresh cluster).
/// - Every transaction that changes at least one key increments the revision by exactly 1, and
///   every change of that transaction carries that revision as its `modRevision` (a
///   multi-key delete or a lease revocation is one revision).
/// - Read-only transactions, transactions whose chosen branch has no effective write (e.g. a
///   delete of a missing key), failed compares with a read-only `failure` branch, lease grants
///   and keep-alives do **not** change the revision.
/// - `KeyValue.version` is 1 when a key is created, +1 on every put, and starts over at 1 when a
///   deleted key is re-created (`createRevision` is then the re-creation revision).
///
/// ## Compaction
/// After ``compact(_:)`` with revision `c`: reads at revisions `< c` throw
/// ``StoreError/compacted(_:)``; a read at `c` or later returns exactly what it returned before.
/// For each key only the latest version at or before `c` is kept (removed if it is a deletion).
/// Watches must start after `c`: a start revision `<= c` fails with `.compacted(c)`.
///
/// ## Watches
/// See ``watch(_:from:prevKV:)``: events arrive one at a time in revision order, with no gap and
/// no duplicate; events of one revision are delivered consecutively.
///
/// ## Leases
/// A lease has a TTL; keys put with a lease are deleted (in one revision) when it is revoked or
/// expires (``expireLeases(now:)``). A put naming an unknown lease fails with
/// ``StoreError/leaseNotFound(_:)`` and the whole transaction has no effect.
public protocol KeyValueStore: Sendable {
    /// The current revision (1 for an empty store).
    func currentRevision() async throws -> Revision

    /// The revision of the last compaction (0 if never compacted). Reads below it fail.
    func compactedRevision() async throws -> Revision

    /// Reads a range. `request.revision == 0` reads the latest state; otherwise the state as of
    /// that revision. Throws `.compacted(c)` if `revision < c` and `.futureRevision(current)` if
    /// `revision > current`. `response.revision` is always the current store revision.
    func range(_ request: RangeRequest) async throws -> RangeResponse

    /// Runs a transaction atomically: evaluates every compare against the latest state, then runs
    /// `success` if all hold (else `failure`), in order; later ops see earlier ops' writes. All
    /// writes share one new revision (see the type documentation). The write is durable
    /// (for durable backends) before this returns.
    func txn(_ request: TxnRequest) async throws -> TxnResponse

    /// Streams changes of keys in `range`.
    ///
    /// - `revision > 0`: every change with `modRevision >= revision`, in revision order, then live
    ///   changes. Throws (or the stream ends with) `.compacted(c)` if `revision <= c`.
    /// - `revision == 0`: only changes after the current revision.
    /// - `prevKV`: fill ``WatchEvent/prevKV`` with the key's previous value.
    ///
    /// The stream has a single consumer. Cancelling the consuming task ends the stream and frees
    /// the watcher. A watcher that falls too far behind (its bounded buffer of undelivered
    /// revisions fills up) ends with ``StoreError/watcherOverflow``; the client then re-watches
    /// from the revision after its last received event. ``close()`` ends streams with `.closed`.
    func watch(_ range: KeyRange, from revision: Revision, prevKV: Bool) throws -> WatchStream

    /// Compacts history up to `revision` (see the type documentation). Throws `.compacted(c)` if
    /// `revision <= c` and `.futureRevision` if `revision > current`.
    func compact(_ revision: Revision) async throws

    /// Grants a lease that expires `ttlSeconds` after now unless kept alive.
    func grantLease(ttlSeconds: Int64) async throws -> LeaseID

    /// Revokes a lease, deleting every key attached to it at one revision. Returns the store
    /// revision afterwards. Throws `.leaseNotFound` for an unknown lease.
    @discardableResult
    func revokeLease(_ id: LeaseID) async throws -> Revision

    /// Renews a lease for its full TTL. Returns the TTL. Throws `.leaseNotFound`.
    @discardableResult
    func keepAliveLease(_ id: LeaseID) async throws -> Int64

    /// Revokes every lease whose deadline is at or before `now`. Returns the revoked IDs.
    @discardableResult
    func expireLeases(now: Date) async throws -> [LeaseID]

    /// Runs background maintenance until the calling task is cancelled: expires leases every
    /// second and, if the store was configured with a ``CompactionPolicy``, compacts periodically.
    func runMaintenance() async throws

    /// Closes the store: ends every watch with `.closed`; later calls throw `.closed`.
    func close() async throws
}
