/// ``MVCCWriteTarget`` over the writer connection inside a commit batch's transaction, so reads
/// see the batch's earlier (uncommitted) writes.
struct SQLiteWriteTarget: MVCCWriteTarget {
    let db: SQLiteConnection

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
        try db.cachedStatement("SELECT id FROM lease WHERE id = ?").fetchOne([.integer(id)]) { $0.int64(0) } != nil
    }

    func recordPut(_ kv: KeyValue, prev: KeyValue?, sub: Int) throws {
        let key = SQLiteValue.utf8Blob(kv.key)
        let value = SQLiteValue.blob(kv.value)
        try db.cachedStatement("""
            INSERT INTO log (rev, sub, key, create_rev, version, lease, deleted, prev_rev, value)
            VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)
            """).execute([
                .integer(kv.modRevision), .integer(sub), key, .integer(kv.createRevision), .integer(kv.version),
                .integer(kv.lease), .integer(prev?.modRevision ?? 0), value,
            ])
        let logID = db.lastInsertRowID
        try db.cachedStatement("""
            INSERT INTO current VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET
            log_id = excluded.log_id, create_rev = excluded.create_rev, mod_rev = excluded.mod_rev,
            version = excluded.version, lease = excluded.lease
            """).execute([
                key, .integer(logID), .integer(kv.createRevision), .integer(kv.modRevision), .integer(kv.version),
                .integer(kv.lease),
            ])
    }

    func recordDelete(_ prev: KeyValue, revision: Revision, sub: Int) throws {
        let key = SQLiteValue.utf8Blob(prev.key)
        try db.cachedStatement("""
            INSERT INTO log (rev, sub, key, create_rev, version, lease, deleted, prev_rev, value)
            VALUES (?, ?, ?, 0, 0, 0, 1, ?, x'')
            """).execute([.integer(revision), .integer(sub), key, .integer(prev.modRevision)])
        try db.cachedStatement("DELETE FROM current WHERE key = ?").execute([key])
    }

    func keys(withLease id: LeaseID) throws -> [String] {
        try db.cachedStatement("SELECT key FROM current WHERE lease = ? AND lease != 0 ORDER BY key")
            .fetchAll([.integer(id)]) { $0.text(0) }
    }
}
