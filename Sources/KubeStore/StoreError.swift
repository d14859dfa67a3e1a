/// Errors thrown by a ``KeyValueStore``.
public enum StoreError: Error, Equatable, Sendable {
    /// The requested revision (or watch start) is at or below the compacted revision (the payload).
    case compacted(Revision)
    /// The requested revision is above the current revision (the payload is the current revision).
    case futureRevision(Revision)
    /// The lease (payload) does not exist or has been revoked/expired.
    case leaseNotFound(LeaseID)
    /// A watcher's bounded buffer overflowed because its consumer was too slow. The client must
    /// re-watch from the revision after the last event it received (or re-list if that is compacted).
    case watcherOverflow
    /// The store has been closed.
    case closed
    /// An error from the storage backend (I/O, SQLite, corruption).
    case backend(String)
}
