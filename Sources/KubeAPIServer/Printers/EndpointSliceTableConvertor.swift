import Foundation
import KubeModel

/// `kubectl get endpointslices`: NAME ADDRESSTYPE PORTS ENDPOINTS AGE.
public struct EndpointSliceTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
        Printers.column("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
        Printers.column("Endpoints", "endpoints is a list of unique endpoints in this slice."),
        Printers.age,
    ]

    public func row(_ slice: DiscoveryV1.EndpointSlice, now: Date) -> [JSONValue] {
        [
            .string(slice.metadata.name ?? ""),
            .string(slice.addressType),
            .string(Self.ports(slice.ports)),
            .string(Self.endpoints(slice.endpoints)),
            Printers.age(slice, now: now),
        ]
    }

    /// The first three port numbers (names for unnumbered ports, `*` for neither).
    static func ports(_ ports: [DiscoveryV1.EndpointPort]?) -> String {
        let ports = ports ?? []
        let maximum = 3
        let list = ports.prefix(maximum).map { port in
            port.port.map(String.init) ?? port.name ?? "*"
        }
        return Printers.listWithMore(list, more: ports.count > maximum, count: ports.count, max: maximum)
    }

    /// The first three addresses over all endpoints.
    static func endpoints(_ endpoints: [DiscoveryV1.Endpoint]?) -> String {
        let addresses = (endpoints ?? []).flatMap(\.addresses)
        let maximum = 3
        return Printers.listWithMore(Array(addresses.prefix(maximum)), more: addresses.count > maximum,
                                     count: addresses.count, max: maximum)
    }
}
