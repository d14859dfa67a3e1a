import KubeModel

/// Server-side apply (`PATCH` with `application/apply-patch+yaml`), as upstream's field manager
/// runs it over structured-merge-diff's `Updater.Apply`:
///
/// 1. the applied configuration is merged into the live object (associative lists by key,
///    sets by value, granular maps by entry, atomic values replaced);
/// 2. the manager's previous `Apply` set is compared with the new configuration: fields it
///    applied before and no longer applies are removed from the object, unless another manager
///    owns them too (or they were never the manager's alone);
/// 3. fields the result adds or changes that other managers own are conflicts — an
///    ``ApplyConflict`` unless `force`, which moves them to the applier;
/// 4. the manager's `Apply` entry becomes exactly the configuration's fields, with the time of
///    the write; other managers lose the fields the result changed or removed.
///
/// With the manager `kubectl` (what `kubectl apply --server-side` sends), conflicts on fields of
/// the `kubectl.kubernetes.io/last-applied-configuration` annotation that still hold its values
/// are taken over silently, and that annotation is rewritten to the new configuration — the
/// client-side to server-side apply upgrade path.
public enum ServerSideApply {
    /// The manager whose applies keep the client-side apply annotation in step.
    public static let kubectlManager = "kubectl"

    /// Applies `applied` to `live` (nil: the object does not exist and is created).
    ///
    /// - Parameters:
    ///   - live: the stored object, managedFields included (they are ignored: pass them as
    ///     `managedFields`).
    ///   - applied: the request body, parsed (YAML or JSON).
    ///   - managedFields: the live object's `metadata.managedFields`.
    ///   - gvk: the resource's kind; the configuration must name its `apiVersion`.
    ///   - subresource: `status` for `PATCH …/status`, nil for the main resource.
    /// - Returns: the merged object *without* `metadata.managedFields` (set it with
    ///   ``ManagedFields/setting(_:on:)`` or on the typed object) and the new managedFields.
    ///   The object keeps whatever the configuration says about `metadata.name`,
    ///   `resourceVersion`, `uid`…; the registry's update path restores and checks those.
    /// - Throws: ``ApplyConflict`` (409), ``ApplyError``.
    public static func apply(live: JSONValue?, applied: JSONValue, manager: String, force: Bool,
                             managedFields: [MetaV1.ManagedFieldsEntry], schema: APISchema = .builtIn,
                             gvk: GroupVersionKind, subresource: String? = nil,
                             now: MetaV1.Time = .now()) throws -> (object: JSONValue, managedFields: [MetaV1.ManagedFieldsEntry]) {
        try validate(applied, gvk: gvk)
        let engine = Engine(types: ApplySchema(schema), gvk: gvk, subresource: subresource)
        let liveObject = ManagedFields.withoutManagedFields(live ?? .object([:]))
        let decoded: ManagedFieldsState
        do {
            decoded = try ManagedFieldsState(decoding: managedFields)
        } catch {
            throw ApplyError.managedFields("failed to decode managed fields: \(error.message)")
        }
        let identity = ManagerIdentity(manager: manager, operation: ManagerIdentity.apply, apiVersion: gvk.apiVersion,
                                       subresource: subresource ?? "")
        var (object, state): (JSONValue, ManagedFieldsState)
        do {
            (object, state) = try engine.apply(live: liveObject, config: applied, state: decoded, identity: identity, force: force)
        } catch let conflict as ApplyConflict where manager == kubectlManager && !force {
            // Upstream's lastAppliedManager: conflicts the client-side apply annotation explains are allowed.
            let allowed = engine.allowedConflictsFromLastApplied(liveObject)
            let remaining = conflict.conflicts.filter { !allowed.contains($0.path) }
            guard remaining.isEmpty else { throw ApplyConflict(conflicts: remaining) }
            (object, state) = try engine.apply(live: liveObject, config: applied, state: decoded, identity: identity, force: true)
        }
        if manager == kubectlManager {
            object = LastApplied.updating(object, to: applied)
        }
        state.strip(identity)
        state.times[identity] = now
        state.capUpdateManagers()
        let entries = ManagedFieldsState.keepingTimestamps(old: managedFields, new: state.encoded(),
                                                           objectUnchanged: live != nil && object.structurallyEquals(liveObject))
        return (object, entries)
    }

    /// Upstream's checks of the configuration before any merging.
    static func validate(_ applied: JSONValue, gvk: GroupVersionKind) throws {
        guard case .object(let members) = applied else {
            throw ApplyError.badRequest("error decoding YAML: the apply configuration is not an object")
        }
        let version = members["apiVersion"]?.stringValue ?? ""
        guard version == gvk.apiVersion else {
            throw ApplyError.badRequest(
                "Incorrect version specified in apply patch. Specified patch version: \(version), expected: \(gvk.apiVersion)")
        }
        if let kind = members["kind"]?.stringValue, kind != gvk.kind {
            throw ApplyError.badRequest("the kind of the apply patch (\(kind)) does not match the resource's kind (\(gvk.kind))")
        }
        if let managed = members["metadata"]?["managedFields"], managed != .null {
            throw ApplyError.badRequest("metadata.managedFields must be nil")
        }
    }
}

extension ServerSideApply {
    /// One apply's merge, prune and ownership settlement (upstream `Updater.Apply`).
    struct Engine {
        let types: ApplySchema
        let gvk: GroupVersionKind
        let subresource: String?

        var root: ApplyType { types.rootType(gvk) }
        var ignored: FieldSet { ResetFields.fields(for: gvk, subresource: subresource) }

        func apply(live: JSONValue, config: JSONValue, state: ManagedFieldsState, identity: ManagerIdentity,
                   force: Bool) throws -> (JSONValue, ManagedFieldsState) {
            var state = state
            let merged: JSONValue
            let configSet: FieldSet
            do {
                merged = try types.merge(live, config, type: root) ?? .object([:])
                configSet = try types.fieldSet(of: config, type: root, rejectDuplicates: true).recursiveDifference(ignored)
            } catch {
                throw failure("patch", error)
            }
            let lastSet = state.fields[identity]
            state.fields[identity] = .init(set: configSet, apiVersion: gvk.apiVersion, applied: true)
            let pruned = try prune(merged, state: state, last: lastSet?.set ?? FieldSet())
            let comparison: FieldComparison
            do {
                comparison = try types.compare(live, pruned, type: root).excluding(ignored)
            } catch {
                throw failure("live", error)
            }
            try state.settle(comparison, writer: identity, force: force)
            return (pruned.droppingNullMembers, state)
        }

        /// Upstream `prune`: removes what the manager applied last time and no longer applies,
        /// then adds back what any manager still owns and what was not the manager's to remove.
        func prune(_ merged: JSONValue, state: ManagedFieldsState, last: FieldSet) throws -> JSONValue {
            guard !last.isEmpty else { return merged }
            let named = { (set: FieldSet) in types.ensuringNamedFieldsAreMembers(set, type: root) }
            func fields(_ value: JSONValue) throws -> FieldSet {
                do {
                    return try types.fieldSet(of: value, type: root, rejectDuplicates: false)
                } catch {
                    throw failure("live", error)
                }
            }
            let lastNamed = named(last)
            var pruned = types.removing(lastNamed, from: merged, type: root) ?? .object([:])
            // Add back owned items: whatever any manager (the applier's new set included) owns.
            let owned = state.fields.values.reduce(FieldSet()) { $0.union($1.set) }
            let mergedSet = named(try fields(merged))
            pruned = types.removing(mergedSet.subtracting(named(try fields(pruned)).union(named(owned))),
                                    from: merged, type: root) ?? .object([:])
            // Add back dangling items: only what the applier owned last time may go.
            pruned = types.removing(mergedSet.subtracting(named(try fields(pruned))).intersection(lastNamed),
                                    from: merged, type: root) ?? .object([:])
            return pruned
        }

        /// A walk's path error in upstream's wording.
        func failure(_ what: String, _ error: ApplyPathError) -> ApplyError {
            .invalidObject("failed to create typed \(what) object (\(gvk)): \(error.message)")
        }

        /// Upstream `allowedConflictsFromLastApplied`: the fields of the last-applied annotation
        /// whose values the live object still holds.
        func allowedConflictsFromLastApplied(_ live: JSONValue) -> FieldSet {
            guard let text = live["metadata"]?["annotations"]?[ManagedFields.lastAppliedAnnotation]?.stringValue,
                  !text.isEmpty, let lastApplied = try? JSONParser.parse(Array(text.utf8)),
                  lastApplied["apiVersion"]?.stringValue == gvk.apiVersion,
                  let set = try? types.fieldSet(of: lastApplied, type: root, rejectDuplicates: false),
                  let comparison = try? types.compare(lastApplied, live, type: root) else { return FieldSet() }
            return set.subtracting(comparison.modified).subtracting(comparison.added).subtracting(comparison.removed)
        }
    }
}
