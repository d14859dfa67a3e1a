/// Why no node fits a pod (upstream's `framework.FitError` and `Diagnosis`), rendered the
/// way `kubectl describe` shows it: "0/3 nodes are available: 1 node(s) had untolerated taint
/// {dedicated: infra}, 2 Insufficient cpu. preemption: …".
public struct FitError: Error, Sendable, CustomStringConvertible {
    public var podKey: String
    public var nodeCount: Int
    /// Each node's rejection.
    public var nodeStatuses: [String: PluginStatus]
    /// Set when a PreFilter plugin rejected the pod for every node at once.
    public var preFilterMessage: String?
    /// What PostFilter (preemption) found, when it ran and failed.
    public var postFilterMessage: String?
    /// Plugins that rejected the pod (to decide which cluster changes may help).
    public var unschedulablePlugins: Set<String>

    public init(podKey: String, nodeCount: Int, nodeStatuses: [String: PluginStatus] = [:],
                preFilterMessage: String? = nil, postFilterMessage: String? = nil,
                unschedulablePlugins: Set<String> = []) {
        self.podKey = podKey
        self.nodeCount = nodeCount
        self.nodeStatuses = nodeStatuses
        self.preFilterMessage = preFilterMessage
        self.postFilterMessage = postFilterMessage
        self.unschedulablePlugins = unschedulablePlugins
    }

    public var description: String {
        var message = "0/\(nodeCount) nodes are available:"
        if let preFilterMessage, !preFilterMessage.isEmpty {
            message += " \(preFilterMessage)."
        } else {
            message += " \(Self.histogram(nodeStatuses.values.map(\.reasons)))."
        }
        if let postFilterMessage, !postFilterMessage.isEmpty {
            message += " \(postFilterMessage)"
        }
        return message
    }

    /// "2 Insufficient cpu, 1 node(s) were unschedulable": each reason counted once per node,
    /// the "count reason" strings sorted, as upstream's `sortReasonsHistogram` does.
    public static func histogram(_ reasonsPerNode: [[String]]) -> String {
        var counts: [String: Int] = [:]
        for reasons in reasonsPerNode {
            for reason in Set(reasons) { counts[reason, default: 0] += 1 }
        }
        return counts.map { "\($0.value) \($0.key)" }.sorted().joined(separator: ", ")
    }
}
