import CSQLite

/// The current result row of a stepping ``SQLiteStatement``. Only valid inside the closure it is
/// passed to (the next step or reset replaces the row); read what you need from it there.
/// Columns are numbered from 0.
struct SQLiteRow {
    let handle: OpaquePointer

    var columnCount: Int { Int(sqlite3_column_count(handle)) }

    func isNull(_ column: Int) -> Bool {
        sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL
    }

    /// The column as an integer (NULL reads as 0).
    func int64(_ column: Int) -> Int64 {
        sqlite3_column_int64(handle, Int32(column))
    }

    func int(_ column: Int) -> Int {
        Int(int64(column))
    }

    /// True when the column is a non-zero integer.
    func bool(_ column: Int) -> Bool {
        int64(column) != 0
    }

    /// The column's bytes (NULL reads as an empty array).
    func blob(_ column: Int) -> [UInt8] {
        withBytes(column) { Array($0) }
    }

    /// The column as text (NULL reads as the empty string). Also decodes a BLOB holding UTF-8.
    func text(_ column: Int) -> String {
        withBytes(column) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the column's bytes, which are only valid during the call.
    func withBytes<T>(_ column: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        // sqlite3_column_blob before sqlite3_column_bytes, as SQLite's documentation requires.
        let start = sqlite3_column_blob(handle, Int32(column))
        let count = Int(sqlite3_column_bytes(handle, Int32(column)))
        return try body(UnsafeRawBufferPointer(start: count > 0 ? start : nil, count: count))
    }
}
