import CSQLite
import Foundation
import Testing

@testable import KubeStore

/// ``SQLiteDatabase``: WAL, the writer connection and the reader pool.
@Suite struct SQLiteDatabaseTests {
    let database: SQLiteDatabase

    init() throws {
        let path = try TempDir.make().appendingPathComponent("database.db").path
        database = try SQLiteDatabase(path: path, configuration: .init(maximumReaderCount: 2))
        try database.writeBlocking { db in
            try db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)")
            try db.execute("INSERT INTO t VALUES (1, 10)")
        }
    }

    private static func count(_ db: SQLiteConnection) throws -> Int {
        try db.cachedStatement("SELECT COUNT(*) FROM t").fetchOne { $0.int(0) } ?? -1
    }

    @Test func storeUsesWALWithFullSynchronousCommitsAndMemoryTempStore() async throws {
        let store = try SQLiteStore(path: TempDir.make().appendingPathComponent("store.db").path)
        let (journal, synchronous, pageSize, tempStore) = try await store.database.write { db in
            (try db.prepare("PRAGMA journal_mode").fetchOne { $0.text(0) },
             try db.prepare("PRAGMA synchronous").fetchOne { $0.int(0) },
             try db.prepare("PRAGMA page_size").fetchOne { $0.int(0) },
             try db.prepare("PRAGMA temp_store").fetchOne { $0.int(0) })
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL: every commit is fsync'd before the write is acknowledged
        #expect(pageSize == 8192)
        #expect(tempStore == 2)  // MEMORY: savepoints' statement journals never touch the disk
        try await store.close()
    }

    @Test func readerSeesAConsistentSnapshotWhileTheWriterCommits() async throws {
        let database = self.database
        let (before, after) = try await database.read { db in
            let before = try Self.count(db)
            // The writer commits (on its own connection and queue) in the middle of this read.
            try database.writeBlocking { writer in
                try writer.execute("INSERT INTO t VALUES (2, 20)")
                try writer.execute("UPDATE t SET v = 11 WHERE id = 1")
            }
            let after = try Self.count(db)
            let value = try db.cachedStatement("SELECT v FROM t WHERE id = 1").fetchOne { $0.int(0) }
            return (before, (after, value))
        }
        #expect(before == 1)
        #expect(after.0 == 1 && after.1 == 10)
        // The next read starts a new snapshot that includes the commit.
        #expect(try await database.read { try Self.count($0) } == 2)
    }

    @Test func concurrentReadsShareTheReaderPool() async throws {
        let database = self.database
        let counts = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 { group.addTask { try await database.read { try Self.count($0) } } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(counts == Array(repeating: 1, count: 32))
    }

    @Test func readersCannotWrite() async throws {
        let error = await #expect(throws: SQLiteError.self) {
            try await database.read { try $0.execute("INSERT INTO t VALUES (3, 30)") }
        }
        #expect(error?.primaryCode == SQLITE_READONLY)
    }

    @Test func failedWriteTransactionsRollBack() async throws {
        await #expect(throws: SQLiteError.self) {
            try await database.write { db in
                try db.execute("INSERT INTO t VALUES (2, 20)")
                try db.execute("INSERT INTO t VALUES (3, NULL)")
            }
        }
        #expect(try await database.read { try Self.count($0) } == 1)
        try await database.write { try $0.execute("INSERT INTO t VALUES (2, 20)") }
        #expect(try await database.read { try Self.count($0) } == 2)
    }

    @Test func closedDatabaseRefusesWork() async throws {
        await database.close()
        await #expect(throws: SQLiteError.closed) { try await database.read { try Self.count($0) } }
        await #expect(throws: SQLiteError.closed) { try await database.write { try Self.count($0) } }
    }
}
