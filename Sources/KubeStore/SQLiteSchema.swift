/// Schema and metadata access of ``SQLiteStore`` (schema version 2, in `PRAGMA user_version`).
///
/// - `log`: one row per change, tombstones included, in a rowid table whose `id` grows with
///   (revision, sub-index within the revision); used for watch catch-up, reads at past revisions
///   and, through `current.log_id`, for the latest values. `prev_rev` is the previous live
///   version's modRevision (0 if none), for `prevKV` on replay. Being a rowid table, values up
///   to almost a page (8 KiB) stay in its leaves, appended in order: a commit writes its values
///   once, densely. `value` comes last so the other columns never sit behind an overflow chain.
/// - `current`: the latest live version of every key, keyed (WITHOUT ROWID) by the key bytes, so
///   a range at the latest revision is a contiguous index range scan; its rows are small (the
///   value is the `log` row `log_id`), so an update rewrites a few bytes of a shared leaf.
/// - `lease`: granted leases (IDs and TTLs); keys reference them through `current.lease`.
/// - `meta`: `revision`, `compact` (compacted revision) and `compact_done` (how far the
///   physical deletion of compacted rows has progressed).
///
/// Version 1 kept values in `current` too and made `log` a WITHOUT ROWID table, where a row's
/// local part is capped at a quarter page: every pod spilled to an overflow page in both tables.
/// ``create(_:)`` migrates such files in place.
enum SQLiteSchema {
    static let version = 2

    static let tables = [
        """
        CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY NOT NULL, value INTEGER NOT NULL) WITHOUT ROWID
        """,
        """
        CREATE TABLE IF NOT EXISTS log (
            id INTEGER PRIMARY KEY, rev INTEGER NOT NULL, sub INTEGER NOT NULL, key BLOB NOT NULL,
            create_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL,
            deleted INTEGER NOT NULL, prev_rev INTEGER NOT NULL, value BLOB NOT NULL)
        """,
        "CREATE UNIQUE INDEX IF NOT EXISTS log_rev_sub ON log (rev, sub)",
        "CREATE INDEX IF NOT EXISTS log_key_rev ON log (key, rev)",
        """
        CREATE TABLE IF NOT EXISTS current (
            key BLOB PRIMARY KEY NOT NULL, log_id INTEGER NOT NULL, create_rev INTEGER NOT NULL,
            mod_rev INTEGER NOT NULL, version INTEGER NOT NULL, lease INTEGER NOT NULL) WITHOUT ROWID
        """,
        "CREATE INDEX IF NOT EXISTS current_lease ON current (lease) WHERE lease != 0",
        "CREATE TABLE IF NOT EXISTS lease (id INTEGER PRIMARY KEY, ttl INTEGER NOT NULL)",
        "INSERT OR IGNORE INTO meta (name, value) VALUES ('revision', 1), ('compact', 0), ('compact_done', 0)",
    ]

    /// Creates the tables of an empty file, or migrates a version 1 file (inside the caller's
    /// transaction, so a failed migration leaves the file as it was).
    static func create(_ db: SQLiteConnection) throws {
        let userVersion = try db.prepare("PRAGMA user_version").fetchOne { $0.int(0) } ?? 0
        if userVersion == version { return }
        guard userVersion == 0 else {
            throw StoreError.backend("database schema version \(userVersion) is newer than this skiff's (\(version))")
        }
        let hasVersion1Log = try db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log'")
            .fetchOne { $0.int(0) } != nil
        if hasVersion1Log {
            try migrateFromVersion1(db)
        } else {
            for sql in tables { try db.execute(sql) }
        }
        try db.execute("PRAGMA user_version = \(version)")
    }

    /// Copies version 1's `log` and `current` into the version 2 tables, in (rev, sub) order so
    /// the new `log.id`s keep that order.
    private static func migrateFromVersion1(_ db: SQLiteConnection) throws {
        for sql in [
            "DROP INDEX IF EXISTS log_key_rev", "DROP INDEX IF EXISTS current_lease",
            "ALTER TABLE log RENAME TO log_v1", "ALTER TABLE current RENAME TO current_v1",
        ] { try db.execute(sql) }
        for sql in tables { try db.execute(sql) }
        try db.execute("""
            INSERT INTO log (rev, sub, key, create_rev, version, lease, deleted, prev_rev, value)
            SELECT rev, sub, key, create_rev, version, lease, deleted, prev_rev, value FROM log_v1 ORDER BY rev, sub
            """)
        let orphans = try db.prepare("""
            SELECT COUNT(*) FROM current_v1 c WHERE NOT EXISTS (
                SELECT 1 FROM log l WHERE l.key = c.key AND l.rev = c.mod_rev AND l.deleted = 0)
            """).fetchOne { $0.int(0) } ?? 0
        guard orphans == 0 else {
            throw StoreError.backend("migrating the database: \(orphans) keys have no log row of their latest version")
        }
        try db.execute("""
            INSERT INTO current (key, log_id, create_rev, mod_rev, version, lease)
            SELECT c.key, (SELECT l.id FROM log l WHERE l.key = c.key AND l.rev = c.mod_rev AND l.deleted = 0
                           ORDER BY l.sub DESC LIMIT 1),
                   c.create_rev, c.mod_rev, c.version, c.lease
            FROM current_v1 c
            """)
        try db.execute("DROP TABLE log_v1")
        try db.execute("DROP TABLE current_v1")
    }

    static func meta(_ db: SQLiteConnection, _ name: String) throws -> Int64 {
        try db.cachedStatement("SELECT value FROM meta WHERE name = ?").fetchOne([.text(name)]) { $0.int64(0) } ?? 0
    }

    static func setMeta(_ db: SQLiteConnection, _ name: String, _ value: Int64) throws {
        try db.cachedStatement("UPDATE meta SET value = ? WHERE name = ?").execute([.integer(value), .text(name)])
    }
}
