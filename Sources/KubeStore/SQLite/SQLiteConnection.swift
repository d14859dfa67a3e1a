import CSQLite

/// One SQLite database connection. Not thread-safe by itself (it is opened with
/// `SQLITE_OPEN_NOMUTEX`): it must only be used by one thread at a time, which
/// ``SQLiteConnectionQueue`` guarantees for the store.
///
/// Keeps a cache of prepared statements keyed by their SQL (``cachedStatement(_:)``).
final class SQLiteConnection {
    enum Mode: Sendable {
        /// Read-write, creating the file if needed.
        case readWriteCreate
        case readOnly
    }

    enum TransactionKind: String, Sendable {
        /// Takes locks when the first statement needs them (readers: the snapshot starts at the
        /// first read).
        case deferred = "DEFERRED"
        /// Takes the write lock at once.
        case immediate = "IMMEDIATE"
    }

    let path: String
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]
    /// Cached statements beyond this many are dropped all at once (SQL built from varying
    /// parts, such as a LIMIT, must not grow the cache forever).
    private let statementCacheLimit: Int

    /// Opens the database at `path`. `busyTimeout`: how long a statement waits for a lock held by
    /// another connection before failing with `SQLITE_BUSY`.
    init(path: String, mode: Mode, busyTimeout: Duration = .seconds(10), statementCacheLimit: Int = 256) throws(SQLiteError) {
        var handle: OpaquePointer?
        let access = mode == .readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let code = sqlite3_open_v2(path, &handle, access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, nil)
        guard code == SQLITE_OK, let handle else {
            let error = SQLiteError(code: code, handle: handle)
            sqlite3_close_v2(handle)
            throw error
        }
        self.path = path
        self.handle = handle
        self.statementCacheLimit = statementCacheLimit
        sqlite3_extended_result_codes(handle, 1)
        let milliseconds = busyTimeout.components.seconds * 1000 + busyTimeout.components.attoseconds / 1_000_000_000_000_000
        sqlite3_busy_timeout(handle, Int32(clamping: milliseconds))
    }

    deinit {
        statements.removeAll()
        // _v2: should a statement still exist, the connection is closed when it is finalized.
        sqlite3_close_v2(handle)
    }

    /// Runs `sql`, which may hold several statements separated by semicolons, ignoring any rows.
    func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw SQLiteError(code: code, handle: handle, sql: sql) }
    }

    /// Runs the single statement `sql` with `arguments`, without caching it.
    func execute(_ sql: String, _ arguments: [SQLiteValue]) throws(SQLiteError) {
        try prepare(sql).execute(arguments)
    }

    /// Compiles `sql` (a single statement) without caching it.
    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        try SQLiteStatement(sql: sql, connection: handle, persistent: false)
    }

    /// The prepared statement for `sql`, compiled on first use and reused afterwards.
    func cachedStatement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLiteStatement(sql: sql, connection: handle, persistent: true)
        if statements.count >= statementCacheLimit { statements.removeAll() }
        statements[sql] = statement
        return statement
    }

    /// Number of statements in the cache.
    var cachedStatementCount: Int { statements.count }

    /// True inside a transaction (explicit, or a savepoint's implicit one).
    var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// The rowid of the row the last successful INSERT added.
    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in a transaction, committed when it returns and rolled back when it (or the
    /// commit) throws.
    func transaction<T>(_ kind: TransactionKind = .deferred, _ body: () throws -> T) throws -> T {
        try cachedStatement("BEGIN \(kind.rawValue) TRANSACTION").execute()
        do {
            let result = try body()
            try cachedStatement("COMMIT TRANSACTION").execute()
            return result
        } catch {
            // SQLite may already have rolled back by itself (after an I/O error, for example).
            if isInTransaction { try? cachedStatement("ROLLBACK TRANSACTION").execute() }
            throw error
        }
    }

    /// Runs `body` in a savepoint: when it throws, its changes are undone and the enclosing
    /// transaction goes on; otherwise they become part of the enclosing transaction. (Outside a
    /// transaction, the savepoint is a transaction of its own.)
    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try cachedStatement("SAVEPOINT skiff").execute()
        do {
            let result = try body()
            try cachedStatement("RELEASE SAVEPOINT skiff").execute()
            return result
        } catch {
            if isInTransaction {
                try? cachedStatement("ROLLBACK TRANSACTION TO SAVEPOINT skiff").execute()
                try? cachedStatement("RELEASE SAVEPOINT skiff").execute()
            }
            throw error
        }
    }

    /// Switches the database to write-ahead logging (only on a read-write connection).
    func enableWAL() throws {
        let mode = try cachedStatement("PRAGMA journal_mode = WAL").fetchOne { $0.text(0) }
        guard mode?.lowercased() == "wal" else {
            throw SQLiteError(code: SQLITE_ERROR, message: "could not enable WAL (journal mode: \(mode ?? "none"))")
        }
    }
}
