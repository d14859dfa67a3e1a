import Foundation
import KubeModel

/// `kubectl get ingresses`: NAME CLASS HOSTS ADDRESS PORTS AGE.
public struct IngressTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Class", "The name of the IngressClass resource that should be used for additional configuration"),
        Printers.column("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
        Printers.column("Address", "Address is a list containing ingress points for the load-balancer"),
        Printers.column("Ports", "Ports of TLS configurations that open"),
        Printers.age,
    ]

    public func row(_ ingress: NetworkingV1.Ingress, now: Date) -> [JSONValue] {
        let points = (ingress.status.loadBalancer?.ingress ?? []).map { (ip: $0.ip, hostname: $0.hostname) }
        return [
            .string(ingress.metadata.name ?? ""),
            .string(ingress.spec.ingressClassName ?? Printers.none),
            .string(Self.hosts(ingress.spec.rules)),
            .string(Printers.loadBalancerAddresses(points)),
            .string((ingress.spec.tls ?? []).isEmpty ? "80" : "80, 443"),
            Printers.age(ingress, now: now),
        ]
    }

    /// The first three rule hosts, `*` when no rule names one.
    static func hosts(_ rules: [NetworkingV1.IngressRule]?) -> String {
        let rules = rules ?? []
        let maximum = 3
        var list: [String] = []
        var more = false
        for rule in rules {
            if list.count == maximum { more = true }
            if !more, let host = rule.host, !host.isEmpty { list.append(host) }
        }
        if list.isEmpty { return "*" }
        let text = list.joined(separator: ",")
        return more ? "\(text) + \(rules.count - maximum) more..." : text
    }
}
