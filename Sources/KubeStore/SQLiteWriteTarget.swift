import Foundation
import GRDB

/// ``MVCCWriteTarget`` over the writer connection inside a commit batch's transaction, so reads
/// see the batch's earlier (uncommitted) writes.
struct SQLiteWriteTarget: MVCCWriteTarget {
    let db: Database

    func latest(_ key: String) throws -> KeyValue? {
        try SQLiteQueries.latest(db, key: key)
    }

    func latest(in bounds: KeyBounds) throws -> [KeyValue] {
        try SQLiteQueries.latest(db, in: bounds)
    }

    func range(_ request: RangeRequest, current: Revision) throws -> RangeResponse {
        try SQLiteQueries.range(db, request, current: current, compacted: compactedRevision())
    }

    func compactedRevision() throws -> Revision {
        try SQLiteSchema.meta(db, "compact")
    }

    func leaseExists(_ id: LeaseID) throws -> Bool {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM lease WHERE id = ?"), arguments: [id]) != nil
    }

    func recordPut(_ kv: KeyValue, prev: KeyValue?, sub: Int) throws {
        let key = Data(kv.key.utf8)
        let value = Data(kv.value)
        try db.cachedStatement(sql: "INSERT INTO log VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)").execute(arguments: [
            kv.modRevision, sub, key, value, kv.createRevision, kv.version, kv.lease, prev?.modRevision ?? 0,
        ])
        try db.cachedStatement(sql: """
            INSERT INTO current VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET
            value = excluded.value, create_rev = excluded.create_rev, mod_rev = excluded.mod_rev,
            version = excluded.version, lease = excluded.lease
            """).execute(arguments: [key, value, kv.createRevision, kv.modRevision, kv.version, kv.lease])
    }

    func recordDelete(_ prev: KeyValue, revision: Revision, sub: Int) throws {
        let key = Data(prev.key.utf8)
        try db.cachedStatement(sql: "INSERT INTO log VALUES (?, ?, ?, x'', 0, 0, 0, 1, ?)").execute(arguments: [
            revision, sub, key, prev.modRevision,
        ])
        try db.cachedStatement(sql: "DELETE FROM current WHERE key = ?").execute(arguments: [key])
    }

    func keys(withLease id: LeaseID) throws -> [String] {
        try Data.fetchAll(db.cachedStatement(sql: "SELECT key FROM current WHERE lease = ? AND lease != 0 ORDER BY key"), arguments: [id])
            .map { String(decoding: $0, as: UTF8.self) }
    }
}
