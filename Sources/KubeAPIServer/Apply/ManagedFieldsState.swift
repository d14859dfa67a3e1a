import KubeModel

/// `metadata.managedFields` decoded: each manager's field set, API version and whether it
/// applies, plus the entries' times (upstream's `Managed`: `fieldpath.ManagedFields` and times).
struct ManagedFieldsState: Sendable, Equatable {
    struct Owned: Sendable, Equatable {
        var set: FieldSet
        var apiVersion: String
        var applied: Bool
    }

    var fields: [ManagerIdentity: Owned] = [:]
    var times: [ManagerIdentity: MetaV1.Time] = [:]
    /// The decoded entries' sets and FieldsV1, reused by ``encoded()`` for sets left unchanged.
    private var decodedFieldsV1: [ManagerIdentity: (set: FieldSet, fieldsV1: JSONValue)] = [:]

    static func == (lhs: ManagedFieldsState, rhs: ManagedFieldsState) -> Bool {
        lhs.fields == rhs.fields && lhs.times == rhs.times
    }

    init() {}

    /// Upstream `DecodeManagedFields` (later entries with the same identity win). `canonical`:
    /// the entries' FieldsV1 are as ``FieldSet/fieldsV1`` writes them (entries Skiff stored),
    /// so ``encoded()`` may reuse those of unchanged sets instead of encoding them again.
    init(decoding entries: [MetaV1.ManagedFieldsEntry], canonical: Bool = false) throws(ApplyError) {
        for (position, entry) in entries.enumerated() {
            let operation = entry.operation ?? ""
            guard operation == ManagerIdentity.apply || operation == ManagerIdentity.update else {
                throw .managedFields("operation must be `Apply` or `Update`")
            }
            guard let apiVersion = entry.apiVersion, !apiVersion.isEmpty else {
                throw .managedFields("apiVersion must not be empty")
            }
            switch entry.fieldsType ?? "" {
            case "FieldsV1": break
            case "": throw .managedFields("missing fieldsType in managed fields entry \(position)")
            case let other: throw .managedFields("invalid fieldsType \(JSONValue.goQuoted(other)) in managed fields entry \(position)")
            }
            let identity = ManagerIdentity(manager: entry.manager ?? "", operation: operation, apiVersion: apiVersion,
                                           subresource: entry.subresource ?? "")
            let set = try entry.fieldSet()
            fields[identity] = Owned(set: set, apiVersion: apiVersion, applied: operation == ManagerIdentity.apply)
            times[identity] = entry.time
            decodedFieldsV1[identity] = canonical ? entry.fieldsV1.map { (set, $0) } : nil
        }
    }

    /// Upstream `encodeManagedFields`, sorted as upstream sorts them: by operation (`Apply`
    /// first), time, manager, API version, subresource.
    func encoded() -> [MetaV1.ManagedFieldsEntry] {
        let entries = fields.map { identity, owned in
            let decoded = decodedFieldsV1[identity]
            return MetaV1.ManagedFieldsEntry(
                apiVersion: owned.apiVersion, fieldsType: "FieldsV1",
                fieldsV1: decoded.flatMap { $0.set == owned.set ? $0.fieldsV1 : nil } ?? owned.set.fieldsV1,
                manager: identity.manager, operation: identity.operation,
                subresource: identity.subresource.isEmpty ? nil : identity.subresource,
                time: times[identity])
        }
        return entries.sorted(by: Self.precedes)
    }

    static func precedes(_ p: MetaV1.ManagedFieldsEntry, _ q: MetaV1.ManagedFieldsEntry) -> Bool {
        if p.operation != q.operation { return (p.operation ?? "") < (q.operation ?? "") }
        let (ps, qs) = (p.time?.secondsSinceEpoch ?? 0, q.time?.secondsSinceEpoch ?? 0)
        if ps != qs { return ps < qs }
        if p.manager != q.manager { return JSONValue.compareBytes(p.manager ?? "", q.manager ?? "") < 0 }
        if p.apiVersion != q.apiVersion { return (p.apiVersion ?? "") < (q.apiVersion ?? "") }
        return (p.subresource ?? "") < (q.subresource ?? "")
    }

    /// Upstream's `stripMetaManager` for one manager: drops the identity and system fields from
    /// its set, and the entry when nothing is left.
    mutating func strip(_ identity: ManagerIdentity) {
        guard let owned = fields[identity] else { return }
        let set = owned.set.subtracting(ManagedFields.strippedFields)
        fields[identity] = set.isEmpty ? nil : Owned(set: set, apiVersion: owned.apiVersion, applied: owned.applied)
    }

    /// The part of upstream's `Updater.update` every write shares: fields the change adds or
    /// modifies are conflicts with the other managers owning them (an error unless `force`, else
    /// taken from them); fields it removes are taken from the other managers. Managers left
    /// with nothing (the writer included) disappear. `writer` is the manager making the change (nil: none of the
    /// recorded ones).
    mutating func settle(_ comparison: FieldComparison, writer: ManagerIdentity?, force: Bool) throws(ApplyConflict) {
        let changed = comparison.modified.union(comparison.added)
        var conflicts: [(ManagerIdentity, FieldSet)] = []
        for (identity, owned) in fields where identity != writer {
            let conflict = owned.set.intersection(changed)
            if !conflict.isEmpty { conflicts.append((identity, conflict)) }
        }
        conflicts.sort { $0.0.identifierJSON < $1.0.identifierJSON }
        if !force && !conflicts.isEmpty {
            throw ApplyConflict(conflicts: conflicts.flatMap { identity, set in
                set.paths.map { ApplyConflict.Conflict(manager: identity.description, identity: identity, path: $0) }
            })
        }
        for (identity, conflict) in conflicts { fields[identity]!.set = fields[identity]!.set.subtracting(conflict) }
        if !comparison.removed.isEmpty {
            for identity in fields.keys where identity != writer {
                fields[identity]!.set = fields[identity]!.set.subtracting(comparison.removed)
            }
        }
        for (identity, owned) in fields where owned.set.isEmpty { fields[identity] = nil }
    }

    /// Upstream's `capManagersManager`: with more than `max` update entries, the oldest are
    /// merged, per API version, into an `ancient-changes` entry.
    mutating func capUpdateManagers(max: Int = ManagedFields.maxUpdateManagers) {
        var updaters = fields.filter { !$0.value.applied }.map(\.key)
        guard updaters.count > max else { return }
        updaters.sort { a, b in
            let (ta, tb) = (times[a]?.secondsSinceEpoch ?? 0, times[b]?.secondsSinceEpoch ?? 0)
            return ta != tb ? ta < tb : a.identifierJSON < b.identifierJSON
        }
        var firstByVersion: [String: ManagerIdentity] = [:]
        var remaining = updaters.count
        for identity in updaters where remaining > max {
            guard let owned = fields[identity] else { continue }
            let version = owned.apiVersion
            let bucket = ManagerIdentity(manager: ManagedFields.ancientChangesManager, operation: ManagerIdentity.update,
                                         apiVersion: version)
            guard let first = firstByVersion[version] else {
                firstByVersion[version] = identity
                continue
            }
            if fields[bucket] == nil {
                fields[bucket] = fields[first]
                fields[first] = nil
                times[first] = nil
            }
            fields[bucket] = Owned(set: owned.set.union(fields[bucket]!.set), apiVersion: version, applied: false)
            fields[identity] = nil
            times[bucket] = times[identity]
            times[identity] = nil
            remaining -= 1
        }
    }

    /// Upstream's `IgnoreManagedFieldsTimestampsTransformer`: when a write changes neither the
    /// object nor any entry but for times, the previous entries (and their times) stay.
    static func keepingTimestamps(old: [MetaV1.ManagedFieldsEntry], new: [MetaV1.ManagedFieldsEntry],
                                  objectUnchanged: Bool) -> [MetaV1.ManagedFieldsEntry] {
        guard objectUnchanged, old.count == new.count else { return new }
        func withoutTime(_ entries: [MetaV1.ManagedFieldsEntry]) -> [MetaV1.ManagedFieldsEntry] {
            entries.map { var e = $0; e.time = nil; return e }.sorted(by: precedes)
        }
        let (a, b) = (withoutTime(old), withoutTime(new))
        let same = zip(a, b).allSatisfy { x, y in
            x.manager == y.manager && x.operation == y.operation && x.apiVersion == y.apiVersion
                && (x.subresource ?? "") == (y.subresource ?? "") && (x.fieldsType ?? "") == (y.fieldsType ?? "")
                && ((try? x.fieldSet()) ?? FieldSet()) == ((try? y.fieldSet()) ?? FieldSet())
        }
        return same ? old : new
    }
}
