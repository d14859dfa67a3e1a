import CSQLite
import Foundation
import Testing

@testable import KubeStore

/// The thin SQLite wrapper: binding and reading values, the statement cache, transactions,
/// savepoints and errors.
@Suite struct SQLiteConnectionTests {
    // Extended result codes are function-like macros in sqlite3.h, which Swift does not import.
    static let constraintPrimaryKey = SQLITE_CONSTRAINT | (6 << 8)  // SQLITE_CONSTRAINT_PRIMARYKEY
    static let constraintNotNull = SQLITE_CONSTRAINT | (5 << 8)  // SQLITE_CONSTRAINT_NOTNULL

    let connection: SQLiteConnection

    init() throws {
        let path = try TempDir.make().appendingPathComponent("wrapper.db").path
        connection = try SQLiteConnection(path: path, mode: .readWriteCreate)
        try connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, i INTEGER, s TEXT, b BLOB NOT NULL, n)")
    }

    private func typeOf(_ column: String, id: Int64) throws -> String? {
        try connection.prepare("SELECT typeof(\(column)) FROM t WHERE id = ?").fetchOne([.integer(id)]) { $0.text(0) }
    }

    @Test func bindsAndReadsEveryType() throws {
        let insert = try connection.cachedStatement("INSERT INTO t VALUES (?, ?, ?, ?, ?)")
        try insert.execute([.integer(1), .integer(Int64.min), .text("héllo\u{0}wörld"), .blob([0, 1, 0xFF]), .null])
        try insert.execute([.integer(2), .integer(Int64.max), .text(""), .blob([]), .integer(7)])

        let rows = try connection.cachedStatement("SELECT i, s, b, n FROM t ORDER BY id").fetchAll { row in
            (row.int64(0), row.text(1), row.blob(2), row.isNull(3), row.int(3))
        }
        #expect(rows.count == 2)
        #expect(rows[0].0 == Int64.min && rows[0].1 == "héllo\u{0}wörld" && rows[0].2 == [0, 1, 0xFF] && rows[0].3)
        #expect(rows[1].0 == Int64.max && rows[1].1 == "" && rows[1].2 == [] && !rows[1].3 && rows[1].4 == 7)
        // Empty text and blobs are stored as such, not as NULL (b is NOT NULL).
        #expect(try typeOf("s", id: 2) == "text")
        #expect(try typeOf("b", id: 2) == "blob")
        #expect(try typeOf("n", id: 1) == "null")
        // A BLOB holding UTF-8 decodes as text (how the store reads its keys).
        try insert.execute([.integer(3), .null, .null, .utf8Blob("/registry/pods/a"), .null])
        #expect(try connection.prepare("SELECT b FROM t WHERE id = 3").fetchOne { $0.text(0) } == "/registry/pods/a")
    }

    @Test func boundValuesAreCopied() throws {
        let insert = try connection.cachedStatement("INSERT INTO t (id, b) VALUES (?, ?)")
        for id in 1...50 {
            // Each argument array is freed right after the call: SQLite must hold its own copy.
            try insert.execute([.integer(Int64(id)), .blob(Array(repeating: UInt8(id), count: 1000 + id))])
        }
        let blobs = try connection.prepare("SELECT id, b FROM t ORDER BY id").fetchAll { ($0.int(0), $0.blob(1)) }
        #expect(blobs.allSatisfy { id, bytes in bytes == Array(repeating: UInt8(id), count: 1000 + id) })
    }

    @Test func statementCacheReusesPreparedStatements() throws {
        let sql = "SELECT COUNT(*) FROM t WHERE i = ?"
        let first = try connection.cachedStatement(sql)
        #expect(try first.fetchOne([.integer(1)]) { $0.int(0) } == 0)
        let second = try connection.cachedStatement(sql)
        #expect(first === second)
        #expect(try connection.prepare(sql) !== first)
        #expect(connection.cachedStatementCount == 1)
        #expect(try second.fetchOne([.integer(1)]) { $0.int(0) } == 0)
    }

    @Test func statementCacheIsBounded() throws {
        let path = try TempDir.make().appendingPathComponent("bounded.db").path
        let small = try SQLiteConnection(path: path, mode: .readWriteCreate, statementCacheLimit: 4)
        for limit in 1...10 {
            #expect(try small.cachedStatement("SELECT 1 LIMIT \(limit)").fetchOne { $0.int(0) } == 1)
        }
        #expect(small.cachedStatementCount <= 4)
    }

    @Test func constraintViolationsSurfaceWithTheirCode() throws {
        let insert = try connection.cachedStatement("INSERT INTO t (id, b) VALUES (?, ?)")
        try insert.execute([.integer(1), .blob([1])])
        let duplicate = #expect(throws: SQLiteError.self) { try insert.execute([.integer(1), .blob([2])]) }
        #expect(duplicate?.code == Self.constraintPrimaryKey)
        #expect(duplicate?.primaryCode == SQLITE_CONSTRAINT)
        #expect(duplicate?.isConstraintViolation == true)
        #expect(duplicate?.message.contains("UNIQUE constraint failed: t.id") == true)
        #expect(duplicate?.sql == "INSERT INTO t (id, b) VALUES (?, ?)")

        let null = #expect(throws: SQLiteError.self) { try insert.execute([.integer(2), .null]) }
        #expect(null?.code == Self.constraintNotNull)

        // The statement is usable again after a failure.
        try insert.execute([.integer(2), .blob([2])])
        #expect(try connection.prepare("SELECT COUNT(*) FROM t").fetchOne { $0.int(0) } == 2)

        // In the store's vocabulary: a backend error naming the cause.
        let mapped = StoreError.mapping(try #require(duplicate), context: "commit")
        guard case StoreError.backend(let message)? = mapped as? StoreError else {
            Issue.record("not mapped to StoreError.backend: \(mapped)")
            return
        }
        #expect(message.hasPrefix("commit: SQLite error \(Self.constraintPrimaryKey)"))
        #expect(message.contains("UNIQUE constraint failed"))
        #expect(StoreError.mapping(StoreError.leaseNotFound(3), context: "x") as? StoreError == .leaseNotFound(3))
    }

    @Test func misuseIsReported() throws {
        let syntax = #expect(throws: SQLiteError.self) { try connection.prepare("SELEC 1") }
        #expect(syntax?.code == SQLITE_ERROR && syntax?.message.contains("syntax error") == true)
        let several = #expect(throws: SQLiteError.self) { try connection.prepare("SELECT 1; SELECT 2") }
        #expect(several?.code == SQLITE_MISUSE)
        let count = #expect(throws: SQLiteError.self) { try connection.prepare("SELECT ?").execute([]) }
        #expect(count?.code == SQLITE_RANGE)

        // Reusing a statement while it is still stepping would silently restart it: refused.
        let all = try connection.cachedStatement("SELECT 1 UNION ALL SELECT 2")
        let nested = thrownError { try all.forEachRow { _ in _ = try all.fetchOne { $0.int(0) } } }
        #expect(nested as? SQLiteError == .statementInUse(all.sql))
        #expect(try all.fetchAll { $0.int(0) } == [1, 2])
    }

    @Test func transactionsCommitOrRollBack() throws {
        let insert = try connection.cachedStatement("INSERT INTO t (id, b) VALUES (?, x'')")
        try connection.transaction(.immediate) { try insert.execute([.integer(1)]) }
        #expect(!connection.isInTransaction)
        let failure = thrownError {
            try connection.transaction {
                try insert.execute([.integer(2)])
                throw StoreError.closed
            }
        }
        #expect(failure as? StoreError == .closed)
        #expect(!connection.isInTransaction)
        #expect(try connection.prepare("SELECT id FROM t").fetchAll { $0.int(0) } == [1])
    }

    @Test func savepointsUndoOnlyTheirOwnChanges() throws {
        let insert = try connection.cachedStatement("INSERT INTO t (id, b) VALUES (?, x'')")
        let (failure, stillInTransaction) = try connection.transaction {
            try insert.execute([.integer(1)])
            try connection.savepoint { try insert.execute([.integer(2)]) }
            let failure = thrownError {
                try connection.savepoint {
                    try insert.execute([.integer(3)])
                    try insert.execute([.integer(1)])  // primary key violation
                }
            }
            let stillInTransaction = connection.isInTransaction
            try insert.execute([.integer(4)])
            return (failure, stillInTransaction)
        }
        #expect((failure as? SQLiteError)?.isConstraintViolation == true)
        #expect(stillInTransaction)
        #expect(try connection.prepare("SELECT id FROM t ORDER BY id").fetchAll { $0.int(0) } == [1, 2, 4])
    }
}

/// The error `body` throws, or nil. (`#expect(throws:)` inside a closure that captures a
/// connection crashes the Swift 6.3 compiler's SendNonSendable pass.)
private func thrownError(_ body: () throws -> Void) -> (any Error)? {
    do {
        try body()
        return nil
    } catch {
        return error
    }
}
