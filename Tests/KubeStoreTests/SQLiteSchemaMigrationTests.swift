import Foundation
import SkiffTestSupport
import Testing

@testable import KubeStore

/// Files written by earlier skiff versions open with their data: version 1 kept values in
/// `current` and a WITHOUT ROWID `log`; opening such a file migrates it to version 2 in place.
@Suite struct SQLiteSchemaMigrationTests {
    /// Version 1's tables, as that schema created them.
    static let version1 = [
        "CREATE TABLE meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID",
        """
        CREATE TABLE log (
            rev INTEGER NOT NULL, sub INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
            create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
            deleted INTEGER NOT NULL, prev_rev INTEGER NOT NULL,
            PRIMARY KEY (rev, sub)) WITHOUT ROWID
        """,
        "CREATE INDEX log_key_rev ON log (key, rev)",
        """
        CREATE TABLE current (
            key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL, create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID
        """,
        "CREATE INDEX current_lease ON current (lease) WHERE lease != 0",
        "CREATE TABLE lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL)",
    ]

    /// A version 1 file holding: /a put at 2 and 3, /b put at 4 under lease 7, /c put at 5 and
    /// deleted at 6, and a transaction at 7 putting /d and /a (subs 0 and 1); compacted at 3.
    static func writeVersion1(_ path: String) throws {
        let db = try SQLiteConnection(path: path, mode: .readWriteCreate)
        for sql in version1 { try db.execute(sql) }
        try db.execute("INSERT INTO meta VALUES ('revision', 7), ('compact', 3), ('compact_done', 3)")
        try db.execute("INSERT INTO lease VALUES (7, 60)")
        // /a's put at revision 2 was compacted away.
        let log: [(Int64, Int64, String, String, Int64, Int64, Int64, Int64, Int64)] = [
            // rev, sub, key, value, create_rev, version, lease, deleted, prev_rev
            (3, 0, "/a", "a2", 2, 2, 0, 0, 2), (4, 0, "/b", "b1", 4, 1, 7, 0, 0), (5, 0, "/c", "c1", 5, 1, 0, 0, 0),
            (6, 0, "/c", "", 0, 0, 0, 1, 5), (7, 0, "/d", "d1", 7, 1, 0, 0, 0), (7, 1, "/a", "a3", 2, 3, 0, 0, 3),
        ]
        for row in log {
            try db.execute("INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                .integer(row.0), .integer(row.1), .utf8Blob(row.2), .blob(Array(row.3.utf8)), .integer(row.4),
                .integer(row.5), .integer(row.6), .integer(row.7), .integer(row.8),
            ])
        }
        // key, value, create_rev, mod_rev, version, lease
        let current: [(String, String, Int64, Int64, Int64, Int64)] = [
            ("/a", "a3", 2, 7, 3, 0), ("/b", "b1", 4, 4, 1, 7), ("/d", "d1", 7, 7, 1, 0),
        ]
        for row in current {
            try db.execute("INSERT INTO current VALUES (?, ?, ?, ?, ?, ?)", [
                .utf8Blob(row.0), .blob(Array(row.1.utf8)), .integer(row.2), .integer(row.3), .integer(row.4),
                .integer(row.5),
            ])
        }
    }

    @Test func aVersion1FileOpensWithItsDataHistoryAndLeases() async throws {
        let path = try TempDir.make().appendingPathComponent("v1.db").path
        try Self.writeVersion1(path)
        let store = try SQLiteStore(path: path)
        #expect(try await store.currentRevision() == 7)
        #expect(try await store.compactedRevision() == 3)
        let latest = try await store.range(RangeRequest(.prefix("/")))
        #expect(latest.kvs.map(\.key) == ["/a", "/b", "/d"])
        #expect(latest.kvs.map { String(decoding: $0.value, as: UTF8.self) } == ["a3", "b1", "d1"])
        #expect(latest.kvs.map(\.modRevision) == [7, 4, 7])
        #expect(latest.kvs.map(\.createRevision) == [2, 4, 7])
        #expect(latest.kvs.map(\.version) == [3, 1, 1])
        #expect(latest.kvs.map(\.lease) == [0, 7, 0])
        let past = try await store.range(RangeRequest(.prefix("/"), revision: 5))
        #expect(past.kvs.map { String(decoding: $0.value, as: UTF8.self) } == ["a2", "b1", "c1"])
        let history = try await WatchTests.collect(try store.watch(.prefix("/"), from: 4, prevKV: true), count: 5)
        #expect(history.map(\.kv.key) == ["/b", "/c", "/c", "/d", "/a"])
        #expect(history.last?.prevKV.map { String(decoding: $0.value, as: UTF8.self) } == "a2")
        // Writes after the migration continue the revisions; the lease still owns /b.
        try await store.put("/e", Array("e1".utf8))
        #expect(try await store.currentRevision() == 8)
        #expect(try await store.revokeLease(7) == 9)
        #expect(try await store.get("/b") == nil)
        try await store.compact(8)
        #expect(try await store.range(RangeRequest(.prefix("/"))).kvs.map(\.key) == ["/a", "/d", "/e"])
        #expect(try await store.integrityCheck() == "ok")
        try await store.close()

        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.range(RangeRequest(.prefix("/"))).kvs.map(\.key) == ["/a", "/d", "/e"])
        try await reopened.close()
    }
}
