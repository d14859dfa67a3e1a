import KubeModel

/// ControllerRevisions as the StatefulSet and DaemonSet controllers record them (upstream's
/// `pkg/controller/history`): names `<owner>-<hash>`, revision numbers, hashing, equality and
/// order, and the revision data kubectl's `rollout history` and `rollout undo` read: a
/// strategic merge patch `{"spec":{"template":{…,"$patch":"replace"}}}`.
public enum ControllerHistory {
    /// upstream's `ControllerRevisionHashLabel`, on every revision.
    public static let hashLabel = "controller.kubernetes.io/hash"
    /// upstream's `apps.ControllerRevisionHashLabelKey`, on pods: the revision they were made from.
    public static let podRevisionLabel = "controller-revision-hash"

    /// `prefix-hash`, the prefix cut to 223 bytes so the name fits in 253.
    public static func revisionName(prefix: String, hash: String) -> String {
        let bytes = Array(prefix.utf8)
        let cut = bytes.count > 223 ? String(decoding: bytes[..<223], as: UTF8.self) : prefix
        return "\(cut)-\(hash)"
    }

    /// upstream's `HashControllerRevision`: FNV-32 (not 32a) over the serialized data, then the
    /// probe (collision count) in decimal when given, printed in decimal and safe-encoded.
    public static func hash(data: JSONValue?, probe: Int32?) -> String {
        var hash: UInt32 = 2_166_136_261
        func add(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash = hash &* 16_777_619
                hash ^= UInt32(byte)
            }
        }
        if let data { add(data.serialized(sortedKeys: true)) }
        if let probe { add(String(probe).utf8) }
        return PodTemplateHash.safeEncode(String(hash))
    }

    /// The revision data for `template`: a patch that puts the template back whole.
    public static func templatePatch(_ template: CoreV1.PodTemplateSpec) -> JSONValue {
        var templateJSON = (try? JSONValueEncoder().encode(template)) ?? .object([:])
        if case .object(var fields) = templateJSON {
            fields["$patch"] = .string("replace")
            templateJSON = .object(fields)
        }
        return .object(["spec": .object(["template": templateJSON])])
    }

    /// The template a revision's patch restores (upstream's `ApplyRevision` for the one field it carries).
    public static func template(from revision: AppsV1.ControllerRevision) -> CoreV1.PodTemplateSpec? {
        guard case .object(var fields)? = revision.data?["spec"]?["template"] else { return nil }
        fields["$patch"] = nil
        return try? JSONValueDecoder().decode(CoreV1.PodTemplateSpec.self, from: .object(fields))
    }

    /// upstream's `NewControllerRevision`: owned by `owner`, labelled like the template plus the
    /// hash label, named after the owner and the hash of `data` with `collisionCount`.
    public static func newRevision<Owner: KubeObject>(
        owner: Owner, templateLabels: [String: String], data: JSONValue, revision: Int64, collisionCount: Int32?
    ) -> AppsV1.ControllerRevision {
        var object = AppsV1.ControllerRevision()
        object.metadata.namespace = owner.metadata.namespace
        object.metadata.ownerReferences = [OwnerReferences.controllerReference(to: owner)]
        object.data = data
        object.revision = revision
        let hash = hash(data: data, probe: collisionCount)
        object.metadata.name = revisionName(prefix: owner.metadata.name ?? "", hash: hash)
        var labels = templateLabels
        labels[hashLabel] = hash
        object.metadata.labels = labels
        return object
    }

    /// upstream's `EqualRevision`: differing hash labels mean different; otherwise the data decides.
    public static func equal(_ lhs: AppsV1.ControllerRevision?, _ rhs: AppsV1.ControllerRevision?) -> Bool {
        guard let lhs, let rhs else { return lhs == nil && rhs == nil }
        if let left = lhs.metadata.labels?[hashLabel], let right = rhs.metadata.labels?[hashLabel],
           Int32(left) != nil, Int32(right) != nil, left != right {
            return false
        }
        return (lhs.data ?? .null) == (rhs.data ?? .null)
    }

    /// The revisions equal to `needle`, in their order.
    public static func findEqual(_ revisions: [AppsV1.ControllerRevision], _ needle: AppsV1.ControllerRevision) -> [AppsV1.ControllerRevision] {
        revisions.filter { equal($0, needle) }
    }

    /// upstream's revision order: by revision number, then creation time, then name.
    public static func sorted(_ revisions: [AppsV1.ControllerRevision]) -> [AppsV1.ControllerRevision] {
        revisions.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            if x.revision != y.revision { return x.revision < y.revision }
            let (tx, ty) = (x.metadata.creationTimestamp, y.metadata.creationTimestamp)
            if tx != ty, let tx, let ty { return tx < ty }
            if (x.metadata.name ?? "") != (y.metadata.name ?? "") { return (x.metadata.name ?? "") < (y.metadata.name ?? "") }
            return a.offset < b.offset
        }.map(\.element)
    }

    /// One more than the last of the sorted `revisions` (1 for none).
    public static func nextRevision(_ sortedRevisions: [AppsV1.ControllerRevision]) -> Int64 {
        (sortedRevisions.last?.revision ?? 0) + 1
    }
}
