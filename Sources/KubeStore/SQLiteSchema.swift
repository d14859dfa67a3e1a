/// Schema and metadata access of ``SQLiteStore``.
///
/// - `log`: one row per change (revision, sub-index within the revision), tombstones included;
///   used for watch catch-up and reads at past revisions. `prev_rev` is the previous live
///   version's modRevision (0 if none), for `prevKV` on replay.
/// - `current`: the latest live version of every key, keyed (WITHOUT ROWID) by the key bytes, so
///   a range at the latest revision is a contiguous index range scan.
/// - `lease`: granted leases (IDs and TTLs); keys reference them through `current.lease`.
/// - `meta`: `revision`, `compact` (compacted revision) and `compact_done` (how far the
///   physical deletion of compacted rows has progressed).
enum SQLiteSchema {
    static let statements = [
        """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID
        """,
        """
        CREATE TABLE IF NOT EXISTS log (
            rev INTEGER NOT NULL, sub INTEGER NOT NULL, key BLOB NOT NULL, value BLOB NOT NULL,
            create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
            deleted INTEGER NOT NULL, prev_rev INTEGER NOT NULL,
            PRIMARY KEY (rev, sub)) WITHOUT ROWID
        """,
        "CREATE INDEX IF NOT EXISTS log_key_rev ON log (key, rev)",
        """
        CREATE TABLE IF NOT EXISTS current (
            key BLOB PRIMARY KEY NOT NULL, value BLOB NOT NULL, create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID
        """,
        "CREATE INDEX IF NOT EXISTS current_lease ON current (lease) WHERE lease != 0",
        "CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 1), ('compact', 0), ('compact_done', 0)",
    ]

    static func create(_ db: SQLiteConnection) throws {
        for sql in statements { try db.execute(sql) }
    }

    static func meta(_ db: SQLiteConnection, _ name: String) throws -> Int64 {
        try db.cachedStatement("SELECT value FROM meta WHERE name = ?").fetchOne([.text(name)]) { $0.int64(0) } ?? 0
    }

    static func setMeta(_ db: SQLiteConnection, _ name: String, _ value: Int64) throws {
        try db.cachedStatement("UPDATE meta SET value = ? WHERE name = ?").execute([.integer(value), .text(name)])
    }
}
