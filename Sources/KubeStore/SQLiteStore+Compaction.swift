extension SQLiteStore {
    /// Logically compacts at once (reads below `revision` fail from now on), then deletes the
    /// superseded log rows in steps of `options.compactionStep` revisions, each step its own
    /// short write transaction so writers interleave.
    public func compact(_ revision: Revision) async throws {
        try checkOpen()
        do {
            try await uncancellableWrite { db in
                let compacted = try SQLiteSchema.meta(db, "compact")
                let current = try SQLiteSchema.meta(db, "revision")
                if revision <= compacted { throw StoreError.compacted(compacted) }
                if revision > current { throw StoreError.futureRevision(current) }
                try SQLiteSchema.setMeta(db, "compact", revision)
            }
        } catch {
            throw StoreError.mapping(error, context: "compact")
        }
        status.withLock { $0.compacted = max($0.compacted, revision) }
        try await resumeCompaction()
    }

    /// Continues the physical part of compaction up to the compacted revision.
    func resumeCompaction() async throws {
        let step = options.compactionStep
        while true {
            try checkOpen()
            try Task.checkCancellation()
            let progressed: Bool
            do {
                progressed = try await uncancellableWrite { db in
                    let done = try SQLiteSchema.meta(db, "compact_done")
                    let target = try SQLiteSchema.meta(db, "compact")
                    guard done < target else { return false }
                    let end = min(target, done + step)
                    try Self.deleteSuperseded(db, after: done, through: end)
                    try SQLiteSchema.setMeta(db, "compact_done", end)
                    return true
                }
            } catch {
                throw StoreError.backend("compact: \(error)")
            }
            if !progressed { return }
            await Task.yield()
        }
    }

    /// For every change `n` with revision in `(after, through]` (all at or below the compaction
    /// target), deletes the older versions of its key; then deletes the tombstones in that span.
    /// Processing spans in order therefore keeps exactly the latest version at or before the
    /// target of each key, dropped if it is a deletion (etcd's `keyIndex.compact`).
    private static func deleteSuperseded(_ db: SQLiteConnection, after: Revision, through: Revision) throws {
        try db.cachedStatement("""
            DELETE FROM log WHERE id IN (
                SELECT o.id FROM log n JOIN log o ON o.key = n.key AND o.id < n.id
                WHERE n.rev > ? AND n.rev <= ?)
            """).execute([.integer(after), .integer(through)])
        try db.cachedStatement("DELETE FROM log WHERE rev > ? AND rev <= ? AND deleted = 1")
            .execute([.integer(after), .integer(through)])
    }
}

extension SQLiteStore {
    /// Runs `PRAGMA integrity_check`; returns its result (`"ok"` when the file is sound).
    public func integrityCheck() async throws -> String {
        try await read { db in
            try db.prepare("PRAGMA integrity_check").fetchAll { $0.text(0) }.joined(separator: "\n")
        }
    }
}
