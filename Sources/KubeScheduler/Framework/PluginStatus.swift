/// What a plugin says about a pod (and a node): upstream's `framework.Status`.
public struct PluginStatus: Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable {
        case success
        /// Something went wrong; the pod is retried with backoff.
        case error
        /// The node does not fit now, but preempting pods on it might help.
        case unschedulable
        /// The node does not fit and preemption cannot change that.
        case unschedulableAndUnresolvable
        /// The plugin has nothing to do for this pod (its Filter/Score are skipped).
        case skip
    }

    public var code: Code
    /// Human-readable reasons, counted in FailedScheduling messages ("Insufficient cpu").
    public var reasons: [String]
    /// The plugin that returned the status (set by the framework).
    public var plugin: String?

    public init(_ code: Code, _ reasons: [String] = [], plugin: String? = nil) {
        self.code = code
        self.reasons = reasons
        self.plugin = plugin
    }

    public static let success = PluginStatus(.success)
    public static let skip = PluginStatus(.skip)

    public static func unschedulable(_ reasons: String...) -> PluginStatus { PluginStatus(.unschedulable, reasons) }
    public static func unresolvable(_ reasons: String...) -> PluginStatus {
        PluginStatus(.unschedulableAndUnresolvable, reasons)
    }
    public static func error(_ message: String) -> PluginStatus { PluginStatus(.error, [message]) }

    public var isSuccess: Bool { code == .success }
    public var isRejection: Bool { code == .unschedulable || code == .unschedulableAndUnresolvable }

    public var description: String { "\(code): \(reasons.joined(separator: ", "))" }
}
