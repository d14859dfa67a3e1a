import Foundation
import KubeModel

/// `kubectl get nodes`: NAME STATUS ROLES AGE VERSION, wide INTERNAL-IP EXTERNAL-IP OS-IMAGE
/// KERNEL-VERSION CONTAINER-RUNTIME.
public struct NodeTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Status", "The status of the node"),
        Printers.column("Roles", "The roles of the node"),
        Printers.age,
        Printers.column("Version", "Kubelet Version reported by the node."),
        Printers.column("Internal-IP", "List of addresses reachable to the node.", priority: 1),
        Printers.column("External-IP", "List of addresses reachable to the node.", priority: 1),
        Printers.column("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", priority: 1),
        Printers.column("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", priority: 1),
        Printers.column("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", priority: 1),
    ]

    public func row(_ node: CoreV1.Node, now: Date) -> [JSONValue] {
        let info = node.status.nodeInfo
        let roles = Self.roles(of: node).joined(separator: ",")
        return [
            .string(node.metadata.name ?? ""),
            .string(Self.status(of: node)),
            .string(roles.isEmpty ? Printers.none : roles),
            Printers.age(node, now: now),
            .string(info?.kubeletVersion ?? ""),
            .string(Self.address(of: node, type: "InternalIP")),
            .string(Self.address(of: node, type: "ExternalIP")),
            .string(orUnknown(info?.osImage)),
            .string(orUnknown(info?.kernelVersion)),
            .string(orUnknown(info?.containerRuntimeVersion)),
        ]
    }

    private func orUnknown(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return Printers.unknown }
        return text
    }

    /// `Ready`, `NotReady` or `Unknown` from the (last) Ready condition, plus `SchedulingDisabled`
    /// for a cordoned node.
    static func status(of node: CoreV1.Node) -> String {
        var parts: [String] = []
        if let ready = node.status.conditions?.last(where: { $0.type == "Ready" }) {
            parts.append(ready.status == "True" ? "Ready" : "NotReady")
        } else {
            parts.append("Unknown")
        }
        if node.spec.unschedulable == true { parts.append("SchedulingDisabled") }
        return parts.joined(separator: ",")
    }

    /// Roles from `node-role.kubernetes.io/<role>` label keys and the `kubernetes.io/role` value, sorted.
    static func roles(of node: CoreV1.Node) -> [String] {
        var roles = Set<String>()
        for (key, value) in node.metadata.labels ?? [:] {
            if key.hasPrefix("node-role.kubernetes.io/") {
                let role = String(key.dropFirst("node-role.kubernetes.io/".count))
                if !role.isEmpty { roles.insert(role) }
            } else if key == "kubernetes.io/role" && !value.isEmpty {
                roles.insert(value)
            }
        }
        return roles.sorted()
    }

    /// The first address of `type`, `<none>` without one.
    static func address(of node: CoreV1.Node, type: String) -> String {
        node.status.addresses?.first { $0.type == type }?.address ?? Printers.none
    }
}
