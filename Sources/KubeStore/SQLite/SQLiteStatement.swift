import CSQLite

/// A prepared statement of one ``SQLiteConnection`` (and like it, used by one thread at a time).
///
/// Every use binds all parameters afresh, steps, and resets the statement when done, so a cached
/// statement never keeps a transaction's read snapshot or its bound values alive between uses.
/// Values are bound with `SQLITE_TRANSIENT`: SQLite copies them during the bind call, so no
/// Swift buffer has to outlive it.
final class SQLiteStatement {
    let sql: String
    private let handle: OpaquePointer
    /// The connection's handle, for error messages. SQLite keeps it valid while this statement
    /// exists (connections are closed with `sqlite3_close_v2`).
    private let connection: OpaquePointer

    /// Compiles `sql` (a single statement). `persistent`: a hint that it will be reused often.
    init(sql: String, connection: OpaquePointer, persistent: Bool) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let (code, rest) = sql.withCString { text in
            var tail: UnsafePointer<CChar>?
            let code = sqlite3_prepare_v3(connection, text, -1, flags, &handle, &tail)
            // `tail` points into `text`: read what follows the first statement while it is valid.
            return (code, tail.map { String(cString: $0) } ?? "")
        }
        guard code == SQLITE_OK, let handle else {
            throw SQLiteError(code: code == SQLITE_OK ? SQLITE_MISUSE : code, handle: connection, sql: sql)
        }
        guard rest.allSatisfy(\.isWhitespace) else {
            sqlite3_finalize(handle)
            throw SQLiteError(code: SQLITE_MISUSE, message: "more than one statement", sql: sql)
        }
        self.sql = sql
        self.handle = handle
        self.connection = connection
    }

    deinit {
        sqlite3_finalize(handle)
    }

    var parameterCount: Int { Int(sqlite3_bind_parameter_count(handle)) }

    /// Runs the statement to completion (for statements that return no rows, or whose rows are
    /// not needed).
    func execute(_ arguments: [SQLiteValue] = []) throws(SQLiteError) {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// The first row decoded by `decode`, or `nil` when there is none.
    func fetchOne<T>(_ arguments: [SQLiteValue] = [], _ decode: (SQLiteRow) throws -> T) throws -> T? {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        guard try step() else { return nil }
        return try decode(SQLiteRow(handle: handle))
    }

    /// Every row decoded by `decode`.
    func fetchAll<T>(_ arguments: [SQLiteValue] = [], _ decode: (SQLiteRow) throws -> T) throws -> [T] {
        var result: [T] = []
        try forEachRow(arguments) { result.append(try decode($0)) }
        return result
    }

    /// Calls `body` for every row, in order. `body` may use other statements of the connection,
    /// but not this one.
    func forEachRow(_ arguments: [SQLiteValue] = [], _ body: (SQLiteRow) throws -> Void) throws {
        try bind(arguments)
        defer { sqlite3_reset(handle) }
        while try step() { try body(SQLiteRow(handle: handle)) }
    }

    /// Clears the previous bindings and binds `arguments` to parameters `1...arguments.count`
    /// (which must be all the statement's parameters).
    func bind(_ arguments: [SQLiteValue]) throws(SQLiteError) {
        guard sqlite3_stmt_busy(handle) == 0 else { throw .statementInUse(sql) }
        sqlite3_clear_bindings(handle)
        guard arguments.count == parameterCount else {
            throw SQLiteError(
                code: SQLITE_RANGE, message: "\(arguments.count) arguments for \(parameterCount) parameters", sql: sql)
        }
        for (offset, value) in arguments.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    private func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let code: Int32
        switch value {
        case .null:
            code = sqlite3_bind_null(handle, index)
        case .integer(let integer):
            code = sqlite3_bind_int64(handle, index, integer)
        case .text(var text):
            code = text.withUTF8 { bytes in
                // A nil pointer would bind NULL: give SQLite a valid empty buffer instead.
                bytes.isEmpty
                    ? sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
                    : sqlite3_bind_text(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
            }
        case .blob(let bytes):
            code = bytes.isEmpty
                ? sqlite3_bind_zeroblob(handle, index, 0)
                : bytes.withUnsafeBytes { sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), csqlite_transient()) }
        }
        guard code == SQLITE_OK else { throw SQLiteError(code: code, handle: connection, sql: sql) }
    }

    /// Advances to the next row: `true` when a row is available, `false` when done.
    func step() throws(SQLiteError) -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code: throw SQLiteError(code: code, handle: connection, sql: sql)
        }
    }

    /// Makes the statement ready to run again (keeping its bindings).
    func reset() {
        sqlite3_reset(handle)
    }
}
