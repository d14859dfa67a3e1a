import Foundation
import GRDB

/// Read queries shared by the writer (inside a commit batch) and the reader connections.
enum SQLiteQueries {
    static let kvColumns = "key, value, create_rev, mod_rev, version, lease"

    /// SQL condition and arguments selecting `column` within `bounds`.
    static func condition(_ bounds: KeyBounds, column: String) -> (sql: String, arguments: StatementArguments) {
        if bounds.isExact { return ("\(column) = ?", [Data(bounds.lower)]) }
        if let upper = bounds.upper {
            return ("\(column) >= ? AND \(column) < ?", [Data(bounds.lower), Data(upper)])
        }
        return ("\(column) >= ?", [Data(bounds.lower)])
    }

    /// Decodes `key, value, create_rev, mod_rev, version, lease` starting at column `offset`.
    static func keyValue(_ row: Row, offset: Int = 0) -> KeyValue {
        let key: Data = row[offset]
        let value: Data? = row[offset + 1]
        return KeyValue(
            key: String(decoding: key, as: UTF8.self), value: value.map { Array($0) } ?? [],
            createRevision: row[offset + 2], modRevision: row[offset + 3], version: row[offset + 4],
            lease: row[offset + 5])
    }

    static func latest(_ db: Database, key: String) throws -> KeyValue? {
        let statement = try db.cachedStatement(sql: "SELECT \(kvColumns) FROM current WHERE key = ?")
        return try Row.fetchOne(statement, arguments: [Data(key.utf8)]).map { keyValue($0) }
    }

    /// Latest key-values in `bounds`, sorted, at most `limit` (0 = all).
    static func latest(_ db: Database, in bounds: KeyBounds, limit: Int = 0, keysOnly: Bool = false) throws -> [KeyValue] {
        let (condition, arguments) = condition(bounds, column: "key")
        let columns = keysOnly ? "key, NULL, create_rev, mod_rev, version, lease" : kvColumns
        let limitClause = limit > 0 ? " LIMIT \(limit)" : ""
        let statement = try db.cachedStatement(
            sql: "SELECT \(columns) FROM current WHERE \(condition) ORDER BY key\(limitClause)")
        var result: [KeyValue] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() { result.append(keyValue(row)) }
        return result
    }

    static func countLatest(_ db: Database, in bounds: KeyBounds) throws -> Int {
        let (condition, arguments) = condition(bounds, column: "key")
        let statement = try db.cachedStatement(sql: "SELECT COUNT(*) FROM current WHERE \(condition)")
        return try Int.fetchOne(statement, arguments: arguments) ?? 0
    }

    /// Serves a range request given the current and compacted revisions of the snapshot.
    static func range(_ db: Database, _ request: RangeRequest, current: Revision, compacted: Revision) throws -> RangeResponse {
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
    static func historical(_ db: Database, in bounds: KeyBounds, at: Revision) throws -> [KeyValue] {
        let (condition, arguments) = condition(bounds, column: "l.key")
        let statement = try db.cachedStatement(sql: """
            SELECT l.key, l.value, l.create_rev, l.rev, l.version, l.lease FROM log l
            WHERE \(condition) AND l.rev <= ? AND l.deleted = 0 AND NOT EXISTS (
                SELECT 1 FROM log n WHERE n.key = l.key AND n.rev <= ?
                AND (n.rev > l.rev OR (n.rev = l.rev AND n.sub > l.sub)))
            ORDER BY l.key
            """)
        var result: [KeyValue] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments + [at, at])
        while let row = try cursor.next() { result.append(keyValue(row)) }
        return result
    }

    /// Watch catch-up: events with revisions in `from...to` in `bounds`, in order.
    static func history(_ db: Database, from: Revision, to: Revision, bounds: KeyBounds, prevKV: Bool) throws -> [WatchEvent] {
        let compacted = try SQLiteSchema.meta(db, "compact")
        if from <= compacted { throw StoreError.compacted(compacted) }
        let statement = try db.cachedStatement(sql: """
            SELECT key, value, create_rev, rev, version, lease, deleted, prev_rev FROM log
            WHERE rev >= ? AND rev <= ? ORDER BY rev, sub
            """)
        let previous = try db.cachedStatement(sql: """
            SELECT key, value, create_rev, rev, version, lease FROM log
            WHERE key = ? AND rev = ? AND deleted = 0 ORDER BY sub DESC LIMIT 1
            """)
        var events: [WatchEvent] = []
        let cursor = try Row.fetchCursor(statement, arguments: [from, to])
        while let row = try cursor.next() {
            let keyBytes: Data = row[0]
            guard bounds.contains(bytes: Array(keyBytes)) else { continue }
            var prev: KeyValue?
            let prevRevision: Int64 = row[7]
            if prevKV && prevRevision != 0 {
                prev = try Row.fetchOne(previous, arguments: [keyBytes, prevRevision]).map { keyValue($0) }
            }
            let kv = keyValue(row)
            let deleted: Bool = row[6]
            events.append(deleted
                ? .tombstone(key: kv.key, revision: kv.modRevision, prev: prev)
                : WatchEvent(type: .put, kv: kv, prevKV: prev))
        }
        return events
    }
}
