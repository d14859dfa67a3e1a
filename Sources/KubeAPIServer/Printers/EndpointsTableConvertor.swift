import Foundation
import KubeModel

/// `kubectl get endpoints`: NAME ENDPOINTS AGE.
public struct EndpointsTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Endpoints", "The set of all endpoints is the union of all subsets."),
        Printers.age,
    ]

    public func row(_ endpoints: CoreV1.Endpoints, now: Date) -> [JSONValue] {
        [.string(endpoints.metadata.name ?? ""), .string(Self.format(endpoints.subsets)), Printers.age(endpoints, now: now)]
    }

    /// `10.0.0.1:80,10.0.0.2:80,10.0.0.3:80 + 2 more...`; bare IPs for subsets without ports.
    static func format(_ subsets: [CoreV1.EndpointSubset]?) -> String {
        guard let subsets, !subsets.isEmpty else { return Printers.none }
        let maximum = 3
        var list: [String] = []
        var more = false
        var count = 0
        for subset in subsets {
            let addresses = subset.addresses ?? []
            let ports = subset.ports ?? []
            if ports.isEmpty {
                // Headless services may have no ports.
                count += addresses.count
                for address in addresses {
                    if list.count == maximum { more = true; break }
                    list.append(address.ip)
                }
                continue
            }
            for port in ports {
                count += addresses.count
                for address in addresses {
                    if list.count == maximum { more = true; break }
                    list.append(Printers.joinHostPort(address.ip, port.port))
                }
            }
        }
        let text = list.joined(separator: ",")
        return more ? "\(text) + \(count - maximum) more..." : text
    }
}
