import KubeModel

/// Input server-side apply or the managedFields bookkeeping cannot work with.
public enum ApplyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The applied configuration is malformed: not an object, another version than the
    /// resource's, `metadata.managedFields` set. Upstream answers 400 BadRequest with this message.
    case badRequest(String)
    /// An object does not fit its schema in a way the merge cannot work around: a list element
    /// without its key field, duplicate keys, a set holding maps. The message reads as
    /// upstream's (`failed to create typed patch object (apps/v1, Kind=Deployment): .spec…:
    /// element 0: associative list with keys has an element that omits key field "name" (and
    /// doesn't have default value)`); upstream answers it as a 500 whose message kubectl prints,
    /// a 422 Invalid is the cleaner mapping.
    case invalidObject(String)
    /// `metadata.managedFields` of the live object cannot be decoded (upstream: 500, "failed to
    /// decode managed fields: …").
    case managedFields(String)

    public var message: String {
        switch self {
        case .badRequest(let m), .invalidObject(let m), .managedFields(let m): return m
        }
    }

    public var description: String { message }
}

/// A server-side apply that would change fields other managers own, without `force`
/// (upstream `merge.Conflicts`, answered as 409 Conflict by `NewApplyConflict`).
///
/// Map it onto a `Status` with `reason: Conflict`, `code: 409`, `message: message`, and
/// `details.causes` = `causes` (each `reason: FieldManagerConflict`, `message: conflict with
/// "kubectl-client-side-apply" using apps/v1`, `field: .spec.replicas`).
public struct ApplyConflict: Error, Equatable, Sendable, CustomStringConvertible {
    /// One field owned by another manager.
    public struct Conflict: Equatable, Sendable {
        /// The owning manager as upstream prints it: `"kubectl-client-side-apply" using apps/v1`,
        /// `"kubectl"`, `"kube-controller-manager" with subresource "status" using v1`.
        public var manager: String
        public var identity: ManagerIdentity
        public var path: FieldPath
    }

    /// `details.causes[]` of the Status.
    public struct Cause: Equatable, Sendable {
        public var reason: String
        public var message: String
        public var field: String
    }

    /// Grouped by manager (in upstream's order of the manager identifiers), each manager's
    /// fields in field-set order.
    public var conflicts: [Conflict]

    public init(conflicts: [Conflict]) {
        self.conflicts = conflicts
    }

    /// `Apply failed with 1 conflict: conflict with "mgr" using v1: .spec.replicas`, or for
    /// several: `Apply failed with 2 conflicts: conflicts with "a":\n- .x\n- .y`.
    public var message: String {
        if conflicts.count == 1 {
            return "Apply failed with 1 conflict: conflict with \(conflicts[0].manager): \(conflicts[0].path)"
        }
        var lines: [String] = []
        var seen: [ManagerIdentity] = []
        for conflict in conflicts where !seen.contains(conflict.identity) {
            seen.append(conflict.identity)
            lines.append("conflicts with \(conflict.manager):")
            for other in conflicts where other.identity == conflict.identity {
                lines.append("- \(other.path)")
            }
        }
        return "Apply failed with \(conflicts.count) conflicts: " + lines.joined(separator: "\n")
    }

    public var causes: [Cause] {
        conflicts.map { Cause(reason: "FieldManagerConflict", message: "conflict with \($0.manager)", field: $0.path.description) }
    }

    public var description: String { message }
}
