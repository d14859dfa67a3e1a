import CSQLite

/// A failure reported by SQLite: its extended result code, its message and the SQL concerned.
struct SQLiteError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The extended result code (e.g. `SQLITE_CONSTRAINT_PRIMARYKEY`).
    let code: Int32
    let message: String
    let sql: String?

    init(code: Int32, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The error `code` just returned by a call on the connection `handle` (whose message is
    /// SQLite's description of that failure).
    init(code: Int32, handle: OpaquePointer?, sql: String? = nil) {
        let message = handle.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        self.init(code: code, message: message ?? String(cString: sqlite3_errstr(code)), sql: sql)
    }

    /// The primary result code (e.g. `SQLITE_CONSTRAINT` for every kind of constraint failure).
    var primaryCode: Int32 { code & 0xFF }

    var isConstraintViolation: Bool { primaryCode == SQLITE_CONSTRAINT }

    var description: String {
        let meaning = String(cString: sqlite3_errstr(code))
        let statement = sql.map { " (in `\($0)`)" } ?? ""
        return "SQLite error \(code) (\(meaning)): \(message)\(statement)"
    }

    /// A statement used again while a previous use is still stepping through its rows.
    static func statementInUse(_ sql: String) -> SQLiteError {
        SQLiteError(code: SQLITE_MISUSE, message: "statement is already in use", sql: sql)
    }

    static let closed = SQLiteError(code: SQLITE_MISUSE, message: "the database connection is closed")
}

extension StoreError {
    /// `error` in the store's vocabulary: ``StoreError`` and cancellation pass through unchanged,
    /// anything else (SQLite failures) becomes ``StoreError/backend(_:)`` prefixed by `context`.
    static func mapping(_ error: any Error, context: String) -> any Error {
        switch error {
        case let error as StoreError: error
        case let error as CancellationError: error
        default: StoreError.backend(context.isEmpty ? "\(error)" : "\(context): \(error)")
        }
    }
}
