import KubeModel

/// The status conditions of a terminating namespace (upstream's deletion
/// status_condition_utils.go): failures found in one pass become `True` conditions, every other
/// maintained type is set to its `False` "ok" variant.
struct NamespaceConditionUpdater {
    static let discoveryFailure = "NamespaceDeletionDiscoveryFailure"
    static let groupVersionParsingFailure = "NamespaceDeletionGroupVersionParsingFailure"
    static let contentFailure = "NamespaceDeletionContentFailure"
    static let contentRemaining = "NamespaceContentRemaining"
    static let finalizersRemaining = "NamespaceFinalizersRemaining"

    /// The maintained types, in the order they are added to the status.
    static let conditionTypes = [
        discoveryFailure, groupVersionParsingFailure, contentFailure, contentRemaining, finalizersRemaining,
    ]
    static let okMessages = [
        discoveryFailure: "All resources successfully discovered",
        groupVersionParsingFailure: "All legacy kube types successfully parsed",
        contentFailure: "All content successfully deleted, may be waiting on finalization",
        contentRemaining: "All content successfully removed",
        finalizersRemaining: "All content successfully removed",
    ]
    static let okReasons = [
        discoveryFailure: "ResourcesDiscovered",
        groupVersionParsingFailure: "ParsedGroupVersions",
        contentFailure: "ContentDeleted",
        contentRemaining: "ContentRemoved",
        finalizersRemaining: "ContentRemoved",
    ]

    private(set) var newConditions: [CoreV1.NamespaceCondition] = []
    private var deleteContentErrors: [String] = []

    mutating func processDiscoveryError(_ message: String) {
        newConditions.append(Self.failure(Self.discoveryFailure, reason: "DiscoveryFailed", message: message))
    }

    mutating func processGroupVersionError(_ message: String) {
        newConditions.append(Self.failure(Self.groupVersionParsingFailure, reason: "GroupVersionParsingFailed", message: message))
    }

    mutating func processDeleteContentError(_ message: String) {
        deleteContentErrors.append(message)
    }

    /// The remaining instances per resource (`pods.` → 2) and per finalizer.
    mutating func processContentTotals(remaining: [GroupVersionResource: Int], finalizers: [String: Int]) {
        let resources = remaining.filter { $0.value > 0 }
            .map { "\($0.key.resource).\($0.key.group) has \($0.value) resource instances" }.sorted()
        if !resources.isEmpty {
            newConditions.append(Self.failure(Self.contentRemaining, reason: "SomeResourcesRemain",
                                              message: "Some resources are remaining: \(resources.joined(separator: ", "))"))
        }
        let byFinalizer = finalizers.filter { $0.value > 0 }.map { "\($0.key) in \($0.value) resource instances" }.sorted()
        if !byFinalizer.isEmpty {
            newConditions.append(Self.failure(Self.finalizersRemaining, reason: "SomeFinalizerRemain",
                                              message: "Some finalizers are remaining: \(byFinalizer.joined(separator: ", "))"))
        }
    }

    /// Writes the conditions into `status`; true when anything changed. A condition keeps its
    /// lastTransitionTime unless its status flips.
    mutating func update(_ status: inout CoreV1.NamespaceStatus, now: MetaV1.Time = .now()) -> Bool {
        if !newConditions.contains(where: { $0.type == Self.contentFailure }), !deleteContentErrors.isEmpty {
            let messages = deleteContentErrors.sorted()
            newConditions.append(Self.failure(Self.contentFailure, reason: "ContentDeletionFailed", message:
                "Failed to delete all resource types, \(messages.count) remaining: \(messages.joined(separator: ", "))", now: now))
        }
        var conditions = status.conditions ?? []
        var changed = false
        for type in Self.conditionTypes {
            let new = newConditions.first { $0.type == type } ?? CoreV1.NamespaceCondition(
                lastTransitionTime: now, message: Self.okMessages[type], reason: Self.okReasons[type], status: "False", type: type)
            guard let index = conditions.firstIndex(where: { $0.type == type }) else {
                conditions.append(new)
                changed = true
                continue
            }
            let old = conditions[index]
            guard old.status != new.status || old.message != new.message || old.reason != new.reason else { continue }
            if old.status != new.status { conditions[index].lastTransitionTime = now }
            conditions[index].status = new.status
            conditions[index].reason = new.reason
            conditions[index].message = new.message
            changed = true
        }
        status.conditions = conditions
        return changed
    }

    private static func failure(_ type: String, reason: String, message: String, now: MetaV1.Time = .now()) -> CoreV1.NamespaceCondition {
        CoreV1.NamespaceCondition(lastTransitionTime: now, message: message, reason: reason, status: "True", type: type)
    }
}
