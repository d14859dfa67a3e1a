import Synchronization

/// The embedded durable ``KeyValueStore``: one SQLite database in WAL mode with
/// `synchronous=FULL`, so every acknowledged write is on disk before `txn` returns.
///
/// - Writes go through a ``GroupCommitter``: concurrent writers share one SQLite transaction and
///   one fsync; requests of a batch are applied in order, each in its own savepoint, against the
///   state including the batch's earlier requests, and get consecutive revisions.
/// - Reads run on separate reader connections (``SQLiteDatabase``), each on a consistent
///   snapshot, and never wait for writes.
/// - Compaction is logical at once and physically incremental (small delete batches).
/// - Reopening restores the revision, compacted revision and leases (lease deadlines restart at
///   a full TTL from the reopening, like etcd after a leader change).
public final class SQLiteStore: KeyValueStore {
    public struct Options: Sendable {
        /// Automatic compaction done by ``runMaintenance()`` (`nil`: none).
        public var compaction: CompactionPolicy?
        /// Undelivered revisions a watcher may buffer before it overflows.
        public var watchBufferLimit: Int
        /// Maximum requests committed in one transaction.
        public var maxBatch: Int
        /// Revisions whose superseded rows are deleted per compaction step.
        public var compactionStep: Int64

        public init(compaction: CompactionPolicy? = nil, watchBufferLimit: Int = 10_000, maxBatch: Int = 512, compactionStep: Int64 = 500) {
            self.compaction = compaction
            self.watchBufferLimit = watchBufferLimit
            self.maxBatch = maxBatch
            self.compactionStep = compactionStep
        }
    }

    struct Status {
        var revision: Revision
        var compacted: Revision
        var leases = LeaseTable()
        var closed = false
    }

    enum WriteRequest: Sendable {
        case txn(TxnRequest)
        case grantLease(LeaseID, ttl: Int64)
        case revokeLease(LeaseID)
    }

    enum WriteResult: Sendable {
        case txn(TxnResponse)
        case lease(LeaseID)
    }

    public let path: String
    let options: Options
    let database: SQLiteDatabase
    let hub: WatchHub
    let status: Mutex<Status>
    let committer: GroupCommitter<WriteRequest, WriteResult>

    /// Opens (creating if needed) the database at `path`.
    public init(path: String, options: Options = Options()) throws {
        self.path = path
        self.options = options
        var configuration = SQLiteDatabase.Configuration()
        configuration.busyTimeout = .seconds(10)
        configuration.maximumReaderCount = 8
        configuration.prepare = { db in
            // 8 KiB pages keep objects of up to 8 KiB of JSON (a pod with its managedFields is
            // about 4 KiB) inside the leaves of the `log` rowid table, where commits append
            // them densely; with 4 KiB pages the larger ones would spill to overflow pages.
            // Only takes effect when the file is created (before WAL mode is enabled).
            try db.execute("PRAGMA page_size = 8192")
            try db.execute("PRAGMA cache_size = -32000")
            // Statement journals (each write of a batch runs in a savepoint) and temporary
            // b-trees live in memory: on disk they were a temporary file created, unlinked and
            // closed for most commits.
            try db.execute("PRAGMA temp_store = MEMORY")
        }
        configuration.setUpWriter = { db in
            // FULL: every commit is fsync'd before it returns, so acknowledged writes survive
            // power loss (with NORMAL, WAL commits only reach the disk at checkpoints).
            try db.execute("PRAGMA synchronous = FULL")
        }
        do {
            database = try SQLiteDatabase(path: path, configuration: configuration)
            let (revision, compacted, leases) = try database.writeBlocking { db in
                try SQLiteSchema.create(db)
                let leases = try db.prepare("SELECT id, ttl FROM lease").fetchAll { ($0.int64(0), $0.int64(1)) }
                return (try SQLiteSchema.meta(db, "revision"), try SQLiteSchema.meta(db, "compact"), leases)
            }
            var status = Status(revision: revision, compacted: compacted)
            for (id, ttl) in leases { status.leases.insert(id, ttl: ttl) }
            self.status = Mutex(status)
            hub = WatchHub(revision: revision, bufferLimit: options.watchBufferLimit)
            committer = GroupCommitter(maxBatch: options.maxBatch)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.backend("open \(path): \(error)")
        }
    }

    func checkOpen() throws {
        if status.withLock({ $0.closed }) { throw StoreError.closed }
    }

    /// Runs a read on a reader connection, mapping database errors to ``StoreError``.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try checkOpen()
        do {
            return try await database.read(body)
        } catch {
            throw StoreError.mapping(error, context: "")
        }
    }

    /// A write transaction on the writer connection that is not abandoned when the calling task
    /// is cancelled (a group-commit leader must finish the batch it took on for others).
    func uncancellableWrite<T: Sendable>(_ updates: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await database.write(updates)
    }

    func submit(_ request: WriteRequest) async throws -> WriteResult {
        try checkOpen()
        return try await committer.submit(request) { [self] batch in await commit(batch) }
    }

    public func currentRevision() async throws -> Revision {
        try checkOpen()
        return status.withLock { $0.revision }
    }

    public func compactedRevision() async throws -> Revision {
        try checkOpen()
        return status.withLock { $0.compacted }
    }

    public func range(_ request: RangeRequest) async throws -> RangeResponse {
        try await read { db in
            try SQLiteQueries.range(
                db, request, current: try SQLiteSchema.meta(db, "revision"),
                compacted: try SQLiteSchema.meta(db, "compact"))
        }
    }

    public func txn(_ request: TxnRequest) async throws -> TxnResponse {
        guard case .txn(let response) = try await submit(.txn(request)) else {
            throw StoreError.backend("unexpected commit result")
        }
        return response
    }

    public func watch(_ range: KeyRange, from revision: Revision, prevKV: Bool) throws -> WatchStream {
        try checkOpen()
        let compacted = status.withLock { $0.compacted }
        if revision != 0 && revision <= compacted { throw StoreError.compacted(compacted) }
        let bounds = range.bounds
        let (live, upTo) = try hub.register(bounds: bounds, prevKV: prevKV, from: revision)
        return WatchStream(
            live: live, historyFrom: revision, historyTo: upTo,
            loadHistory: { [self] from, to in
                let end = min(to, from + 511)
                let events = try await read { db in
                    try SQLiteQueries.history(db, from: from, to: end, bounds: bounds, prevKV: prevKV)
                }
                return (events, end + 1)
            })
    }

    public func runMaintenance() async throws {
        do {
            try await resumeCompaction()
        } catch is CancellationError {
            return
        }
        try await MaintenanceLoop(policy: options.compaction).run(self)
    }

    public func close() async throws {
        let wasClosed = status.withLock { status in
            defer { status.closed = true }
            return status.closed
        }
        guard !wasClosed else { return }
        hub.close()
        // Wait for an in-flight commit to finish before closing the connections.
        _ = try? await uncancellableWrite { _ in }
        await database.close()
    }

    /// Number of registered watchers (for tests).
    public var activeWatchers: Int { hub.watcherCount }
}
