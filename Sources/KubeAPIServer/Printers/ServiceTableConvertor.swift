import Foundation
import KubeModel

/// `kubectl get services`: NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE, wide SELECTOR.
public struct ServiceTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Type", "type determines how the Service is exposed."),
        Printers.column("Cluster-IP", "clusterIP is the IP address of the service."),
        Printers.column("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        Printers.column("Port(s)", "The list of ports that are exposed by this service."),
        Printers.age,
        Printers.column("Selector", "Route service traffic to pods with label keys and values matching this selector.", priority: 1),
    ]

    public func row(_ service: CoreV1.Service, now: Date) -> [JSONValue] {
        var clusterIP = service.spec.clusterIPs?.first ?? ""
        // v1 defaulting copies the legacy `clusterIP` into an empty `clusterIPs`.
        if clusterIP.isEmpty { clusterIP = service.spec.clusterIP ?? "" }
        let ports = Self.ports(service.spec.ports)
        return [
            .string(service.metadata.name ?? ""),
            .string(service.spec.type ?? ""),
            .string(clusterIP.isEmpty ? Printers.none : clusterIP),
            .string(Self.externalIP(of: service)),
            .string(ports.isEmpty ? Printers.none : ports),
            Printers.age(service, now: now),
            .string(Printers.formatLabels(service.spec.selector)),
        ]
    }

    /// `80/TCP,30080:8080/TCP`: port, node port when set, protocol.
    static func ports(_ ports: [CoreV1.ServicePort]?) -> String {
        (ports ?? []).map { port in
            let proto = port.protocol ?? ""
            if let nodePort = port.nodePort, nodePort > 0 { return "\(port.port):\(nodePort)/\(proto)" }
            return "\(port.port)/\(proto)"
        }.joined(separator: ",")
    }

    /// EXTERNAL-IP by service type: external IPs, load balancer addresses (`<pending>` until
    /// assigned), or the external name.
    static func externalIP(of service: CoreV1.Service) -> String {
        let externalIPs = service.spec.externalIPs ?? []
        switch service.spec.type ?? "" {
        case "ClusterIP", "NodePort":
            return externalIPs.isEmpty ? Printers.none : externalIPs.joined(separator: ",")
        case "LoadBalancer":
            let points = (service.status.loadBalancer?.ingress ?? []).map { (ip: $0.ip, hostname: $0.hostname) }
            let balancer = Printers.loadBalancerAddresses(points)
            if !externalIPs.isEmpty {
                let fromBalancer = balancer.isEmpty ? [] : balancer.split(separator: ",").map(String.init)
                return (fromBalancer + externalIPs).joined(separator: ",")
            }
            return balancer.isEmpty ? "<pending>" : balancer
        case "ExternalName":
            return service.spec.externalName ?? ""
        default:
            return Printers.unknown
        }
    }
}
