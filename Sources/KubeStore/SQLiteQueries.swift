/// Read queries shared by the writer (inside a commit batch) and the reader connections.
enum SQLiteQueries {
    /// The latest key-values: `current` joined with the `log` rows holding their values.
    static let latestKV = """
        SELECT c.key, l.value, c.create_rev, c.mod_rev, c.version, c.lease FROM current c JOIN log l ON l.id = c.log_id
        """

    /// SQL condition and arguments selecting `column` within `bounds`.
    static func condition(_ bounds: KeyBounds, column: String) -> (sql: String, arguments: [SQLiteValue]) {
        if bounds.isExact { return ("\(column) = ?", [.blob(bounds.lower)]) }
        if let upper = bounds.upper {
            return ("\(column) >= ? AND \(column) < ?", [.blob(bounds.lower), .blob(upper)])
        }
        return ("\(column) >= ?", [.blob(bounds.lower)])
    }

    /// Decodes `key, value, create_rev, mod_rev, version, lease` starting at column `offset`
    /// (a NULL value reads as empty).
    static func keyValue(_ row: SQLiteRow, offset: Int = 0) -> KeyValue {
        KeyValue(
            key: row.text(offset), value: row.blob(offset + 1),
            createRevision: row.int64(offset + 2), modRevision: row.int64(offset + 3), version: row.int64(offset + 4),
            lease: row.int64(offset + 5))
    }

    static func latest(_ db: SQLiteConnection, key: String) throws -> KeyValue? {
        let statement = try db.cachedStatement("\(latestKV) WHERE c.key = ?")
        return try statement.fetchOne([.utf8Blob(key)]) { keyValue($0) }
    }

    /// Latest key-values in `bounds`, sorted, at most `limit` (0 = all).
    static func latest(_ db: SQLiteConnection, in bounds: KeyBounds, limit: Int = 0, keysOnly: Bool = false) throws -> [KeyValue] {
        let (condition, arguments) = condition(bounds, column: "c.key")
        let select = keysOnly ? "SELECT c.key, NULL, c.create_rev, c.mod_rev, c.version, c.lease FROM current c" : latestKV
        let limitClause = limit > 0 ? " LIMIT \(limit)" : ""
        let statement = try db.cachedStatement("\(select) WHERE \(condition) ORDER BY c.key\(limitClause)")
        return try statement.fetchAll(arguments) { keyValue($0) }
    }

    static func countLatest(_ db: SQLiteConnection, in bounds: KeyBounds) throws -> Int {
        let (condition, arguments) = condition(bounds, column: "key")
        let statement = try db.cachedStatement("SELECT COUNT(*) FROM current WHERE \(condition)")
        return try statement.fetchOne(arguments) { $0.int(0) } ?? 0
    }

    /// Serves a range request given the current and compacted revisions of the snapshot.
    static func range(_ db: SQLiteConnection, _ request: RangeRequest, current: Revision, compacted: Revision) throws -> RangeResponse {
        let at = request.revision == 0 ? current : request.revision
        if at < compacted { throw StoreError.compacted(compacted) }
        if at > current { throw StoreError.futureRevision(current) }
        let bounds = request.range.bounds
        guard at == current else {
            return RangeResponse(matching: try historical(db, in: bounds, at: at), request: request, revision: current)
        }
        if request.countOnly {
            return RangeResponse(kvs: [], count: try countLatest(db, in: bounds), more: false, revision: current)
        }
        let limit = request.limit > 0 ? request.limit + 1 : 0
        var kvs = try latest(db, in: bounds, limit: limit, keysOnly: request.keysOnly)
        guard request.limit > 0, kvs.count > request.limit else {
            return RangeResponse(kvs: kvs, count: kvs.count, more: false, revision: current)
        }
        kvs.removeLast()
        return RangeResponse(kvs: kvs, count: try countLatest(db, in: bounds), more: true, revision: current)
    }

    /// Live key-values in `bounds` as of revision `at`, from the log.
    static func historical(_ db: SQLiteConnection, in bounds: KeyBounds, at: Revision) throws -> [KeyValue] {
        let (condition, arguments) = condition(bounds, column: "l.key")
        let statement = try db.cachedStatement("""
            SELECT l.key, l.value, l.create_rev, l.rev, l.version, l.lease FROM log l
            WHERE \(condition) AND l.rev <= ? AND l.deleted = 0 AND NOT EXISTS (
                SELECT 1 FROM log n WHERE n.key = l.key AND n.rev <= ? AND n.id > l.id)
            ORDER BY l.key
            """)
        return try statement.fetchAll(arguments + [.integer(at), .integer(at)]) { keyValue($0) }
    }

    /// Watch catch-up: events with revisions in `from...to` in `bounds`, in order.
    static func history(_ db: SQLiteConnection, from: Revision, to: Revision, bounds: KeyBounds, prevKV: Bool) throws -> [WatchEvent] {
        let compacted = try SQLiteSchema.meta(db, "compact")
        if from <= compacted { throw StoreError.compacted(compacted) }
        let statement = try db.cachedStatement("""
            SELECT key, value, create_rev, rev, version, lease, deleted, prev_rev FROM log
            WHERE rev >= ? AND rev <= ? ORDER BY rev, sub
            """)
        let previous = try db.cachedStatement("""
            SELECT key, value, create_rev, rev, version, lease FROM log
            WHERE key = ? AND rev = ? AND deleted = 0 ORDER BY id DESC LIMIT 1
            """)
        var events: [WatchEvent] = []
        try statement.forEachRow([.integer(from), .integer(to)]) { row in
            let keyBytes = row.blob(0)
            guard bounds.contains(bytes: keyBytes) else { return }
            var prev: KeyValue?
            let prevRevision = row.int64(7)
            if prevKV && prevRevision != 0 {
                prev = try previous.fetchOne([.blob(keyBytes), .integer(prevRevision)]) { keyValue($0) }
            }
            let kv = keyValue(row)
            events.append(row.bool(6)
                ? .tombstone(key: kv.key, revision: kv.modRevision, prev: prev)
                : WatchEvent(type: .put, kv: kv, prevKV: prev))
        }
        return events
    }
}
