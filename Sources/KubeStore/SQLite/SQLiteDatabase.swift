/// One SQLite database file in WAL mode, shared by one writer connection and a pool of reader
/// connections: writes are serialized on the writer, reads run concurrently on the readers, each
/// on a consistent snapshot, and never wait for the writer (WAL).
final class SQLiteDatabase: Sendable {
    struct Configuration: Sendable {
        /// How long a connection waits for a lock before failing with `SQLITE_BUSY` (WAL readers
        /// only wait in rare cases, such as recovery after a crash).
        var busyTimeout: Duration = .seconds(10)
        var maximumReaderCount = 8
        /// Run on every connection right after it is opened, before WAL is enabled on the writer
        /// (e.g. `PRAGMA page_size`, which only works before). Use `setUpWriter` for pragmas that
        /// must follow the journal mode.
        var prepare: @Sendable (SQLiteConnection) throws -> Void = { _ in }
        /// Run on the writer connection after WAL is enabled.
        var setUpWriter: @Sendable (SQLiteConnection) throws -> Void = { _ in }
    }

    let path: String
    private let writer: SQLiteConnectionQueue
    private let readers: SQLiteReaderPool

    /// Opens (creating if needed) the database at `path` and switches it to WAL mode.
    init(path: String, configuration: Configuration = Configuration()) throws {
        self.path = path
        writer = SQLiteConnectionQueue(label: "skiff.sqlite.writer") {
            let connection = try SQLiteConnection(path: path, mode: .readWriteCreate, busyTimeout: configuration.busyTimeout)
            try configuration.prepare(connection)
            try connection.enableWAL()
            try configuration.setUpWriter(connection)
            return connection
        }
        readers = SQLiteReaderPool(count: configuration.maximumReaderCount, label: "skiff.sqlite.reader") {
            let connection = try SQLiteConnection(path: path, mode: .readOnly, busyTimeout: configuration.busyTimeout)
            try configuration.prepare(connection)
            return connection
        }
        try writer.runBlocking { _ in }
    }

    /// Runs `body` in a read transaction on a reader connection (throws `CancellationError` if the
    /// task is already cancelled; once started, the read runs to the end).
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try Task.checkCancellation()
        return try await readers.read(body)
    }

    /// Runs `body` in an immediate transaction on the writer connection. Not cancellable: the
    /// transaction is committed (or rolled back on an error) whatever happens to the calling task.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.run { connection in
            try connection.transaction(.immediate) { try body(connection) }
        }
    }

    /// Like ``write(_:)``, blocking the caller (for setup before the database is shared).
    func writeBlocking<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try writer.runBlocking { connection in
            try connection.transaction(.immediate) { try body(connection) }
        }
    }

    /// Closes the readers, then the writer (the last connection to close checkpoints the WAL into
    /// the database file), each after its work in progress.
    func close() async {
        await readers.close()
        await writer.close()
    }
}
