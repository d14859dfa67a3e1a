import KubeClient
import KubeModel

/// The patches the garbage collector sends (upstream's garbagecollector/patch.go): strategic
/// merge patches that name the object's UID (a stale object fails them), JSON merge patches
/// pinned to a resourceVersion where strategic merge is not served.
enum GarbageCollectorPatches {
    /// Deletes the owner references to `ownerUIDs` by their merge key.
    static func deleteOwnerReferences(_ ownerUIDs: [String], dependentUID: String) -> ObjectPatch {
        let references = ownerUIDs.map { JSONValue.object(["$patch": .string("delete"), "uid": .string($0)]) }
        return ObjectPatch(.strategicMerge, json: .object([
            "metadata": .object(["ownerReferences": .array(references), "uid": .string(dependentUID)]),
        ]))
    }

    /// The whole remaining list without `ownerUIDs`, pinned to the object's resourceVersion.
    static func deleteOwnerReferencesMerge(_ ownerUIDs: [String], of object: PartialObjectMetadata) -> ObjectPatch {
        let remaining = (object.metadata.ownerReferences ?? []).filter { !ownerUIDs.contains($0.uid) }
        return ObjectPatch(.merge, json: .object([
            "metadata": .object([
                "ownerReferences": .array(remaining.map(encode)),
                "resourceVersion": .string(object.metadata.resourceVersion ?? ""),
            ]),
        ]))
    }

    /// Sets `blockOwnerDeletion: false` on every blocking reference of `references`.
    static func unblockOwnerReferences(_ references: [MetaV1.OwnerReference], uid: String) -> ObjectPatch {
        let unblocked = references.filter { $0.blockOwnerDeletion == true }.map { reference in
            var reference = reference
            reference.blockOwnerDeletion = false
            return encode(reference)
        }
        return ObjectPatch(.strategicMerge, json: .object([
            "metadata": .object(["ownerReferences": .array(unblocked), "uid": .string(uid)]),
        ]))
    }

    /// The same as a JSON merge patch of the whole list, pinned to the resourceVersion.
    static func unblockOwnerReferencesMerge(of object: PartialObjectMetadata) -> ObjectPatch {
        let references = (object.metadata.ownerReferences ?? []).map { reference in
            var reference = reference
            if reference.blockOwnerDeletion == true { reference.blockOwnerDeletion = false }
            return encode(reference)
        }
        return ObjectPatch(.merge, json: .object([
            "metadata": .object([
                "ownerReferences": .array(references),
                "resourceVersion": .string(object.metadata.resourceVersion ?? ""),
            ]),
        ]))
    }

    /// The finalizers without `finalizer`, pinned to the resourceVersion (null when none remain).
    static func removeFinalizer(_ finalizer: String, of object: PartialObjectMetadata) -> ObjectPatch {
        let remaining = (object.metadata.finalizers ?? []).filter { $0 != finalizer }
        return ObjectPatch(.merge, json: .object([
            "metadata": .object([
                "resourceVersion": .string(object.metadata.resourceVersion ?? ""),
                "finalizers": remaining.isEmpty ? .null : .array(remaining.map { .string($0) }),
            ]),
        ]))
    }

    static func encode(_ reference: MetaV1.OwnerReference) -> JSONValue {
        (try? JSONValueEncoder().encode(reference)) ?? .null
    }
}
