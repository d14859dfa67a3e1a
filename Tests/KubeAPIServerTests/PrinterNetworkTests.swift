import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Service, endpoints and ingress rows from upstream's `TestPrintService`,
/// `TestPrintServiceLoadBalancer`, `TestPrintEndpoint`, `TestPrintEndpointSlice`, `TestPrintIngress`,
/// `TestPrintIngressClass` and `TestPrintNetworkPolicy`.
struct PrinterNetworkTests {
    typealias F = PrinterFixture

    struct ServiceCase: Sendable, CustomTestStringConvertible {
        var name: String
        var spec: CoreV1.ServiceSpec
        var ingress: [CoreV1.LoadBalancerIngress]? = nil
        var expected: [String]
        var wide = false
        var testDescription: String { name }

        var service: CoreV1.Service {
            CoreV1.Service(metadata: F.meta(name), spec: spec,
                           status: CoreV1.ServiceStatus(loadBalancer: CoreV1.LoadBalancerStatus(ingress: ingress)))
        }
    }

    static func ports(_ ports: [(Int32, String)], nodePort: Int32? = nil) -> [CoreV1.ServicePort] {
        ports.map { CoreV1.ServicePort(nodePort: nodePort, port: $0.0, protocol: $0.1) }
    }

    static let single = ["80.11.12.10"]
    static let multiple = ["80.11.12.10", "80.11.12.11"]
    static let threeLoadBalancers = [
        CoreV1.LoadBalancerIngress(ip: "2.3.4.5"), CoreV1.LoadBalancerIngress(ip: "3.4.5.6"),
        CoreV1.LoadBalancerIngress(hostname: "host5678", ip: "5.6.7.8"),
    ]

    static let services: [ServiceCase] = [
        ServiceCase(name: "test1", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], ports: ports([(2233, "tcp")]),
                                                            selector: ["foo": "bar"], type: "ClusterIP"),
                    expected: ["test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>"]),
        ServiceCase(name: "test1-wide", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], ports: ports([(2233, "tcp")]),
                                                                 selector: ["foo": "bar"], type: "ClusterIP"),
                    expected: ["test1-wide", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar"], wide: true),
        ServiceCase(name: "test2", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], ports: ports([(8888, "tcp")], nodePort: 9999),
                                                            type: "NodePort"),
                    expected: ["test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>"]),
        ServiceCase(name: "test3", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], ports: ports([(8888, "tcp")]), type: "LoadBalancer"),
                    expected: ["test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>"]),
        ServiceCase(name: "test4", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], externalIPs: single,
                                                            ports: ports([(8888, "tcp")]), type: "LoadBalancer"),
                    expected: ["test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>"]),
        ServiceCase(name: "test5", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], externalIPs: single,
                                                            ports: ports([(8888, "tcp")]), type: "LoadBalancer"),
                    ingress: [CoreV1.LoadBalancerIngress(hostname: "test.cluster.com", ip: "3.4.5.6")],
                    expected: ["test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>"]),
        ServiceCase(name: "test6", spec: CoreV1.ServiceSpec(clusterIPs: ["10.9.8.7"], externalIPs: multiple,
                                                            ports: ports([(8888, "tcp")]), type: "LoadBalancer"),
                    ingress: [CoreV1.LoadBalancerIngress(hostname: "test.cluster.local", ip: "2.3.4.5"),
                              CoreV1.LoadBalancerIngress(hostname: "test.cluster.com", ip: "3.4.5.6")],
                    expected: ["test6", "LoadBalancer", "10.9.8.7", "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11", "8888/tcp", "<unknown>"]),
        ServiceCase(name: "test7", spec: CoreV1.ServiceSpec(externalName: "my.database.example.com", type: "ExternalName"),
                    expected: ["test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>"]),
        // TestPrintServiceLoadBalancer
        ServiceCase(name: "service1", spec: CoreV1.ServiceSpec(clusterIPs: ["1.2.3.4"], ports: ports([(80, "TCP")]), type: "LoadBalancer"),
                    ingress: [CoreV1.LoadBalancerIngress(ip: "2.3.4.5"), CoreV1.LoadBalancerIngress(ip: "3.4.5.6")],
                    expected: ["service1", "LoadBalancer", "1.2.3.4", "2.3.4.5,3.4.5.6", "80/TCP", "<unknown>"]),
        ServiceCase(name: "service2", spec: CoreV1.ServiceSpec(clusterIPs: ["1.3.4.5"],
                                                               ports: ports([(80, "TCP"), (8090, "UDP"), (8000, "TCP"), (7777, "SCTP")]),
                                                               type: "LoadBalancer"),
                    expected: ["service2", "LoadBalancer", "1.3.4.5", "<pending>", "80/TCP,8090/UDP,8000/TCP,7777/SCTP", "<unknown>"]),
        ServiceCase(name: "service3", spec: CoreV1.ServiceSpec(clusterIPs: ["1.4.5.6"], ports: ports([(80, "TCP"), (8090, "UDP"), (8000, "TCP")]),
                                                               type: "LoadBalancer"),
                    ingress: [CoreV1.LoadBalancerIngress(ip: "2.3.4.5")],
                    expected: ["service3", "LoadBalancer", "1.4.5.6", "2.3.4.5", "80/TCP,8090/UDP,8000/TCP", "<unknown>"]),
        // The server always prints wide, so a long address list is never clipped.
        ServiceCase(name: "service4", spec: CoreV1.ServiceSpec(clusterIPs: ["1.5.6.7"], ports: ports([(80, "TCP"), (8090, "UDP"), (8000, "TCP")]),
                                                               selector: ["foo": "bar"], type: "LoadBalancer"),
                    ingress: threeLoadBalancers,
                    expected: ["service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5.6,5.6.7.8", "80/TCP,8090/UDP,8000/TCP", "<unknown>", "foo=bar"],
                    wide: true),
        // TestPrintServiceList
        ServiceCase(name: "service-udp", spec: CoreV1.ServiceSpec(clusterIPs: ["1.2.3.4"], ports: ports([(5566, "udp")]), type: "NodePort"),
                    expected: ["service-udp", "NodePort", "1.2.3.4", "<none>", "5566/udp", "<unknown>"]),
        // Hostnames stand in for missing IPs; addresses are de-duplicated and sorted.
        ServiceCase(name: "hostnames", spec: CoreV1.ServiceSpec(clusterIPs: ["10.0.0.1"], type: "LoadBalancer"),
                    ingress: [CoreV1.LoadBalancerIngress(hostname: "lb.example.com"), CoreV1.LoadBalancerIngress(ip: "9.9.9.9"),
                              CoreV1.LoadBalancerIngress(ip: "9.9.9.9")],
                    expected: ["hostnames", "LoadBalancer", "10.0.0.1", "9.9.9.9,lb.example.com", "<none>", "<unknown>"]),
        // Headless, with the legacy single `clusterIP` only; external IPs on a ClusterIP service.
        ServiceCase(name: "headless", spec: CoreV1.ServiceSpec(clusterIP: "None", externalIPs: multiple, ports: ports([(53, "UDP")]),
                                                               type: "ClusterIP"),
                    expected: ["headless", "ClusterIP", "None", "80.11.12.10,80.11.12.11", "53/UDP", "<unknown>"]),
        ServiceCase(name: "no-type", spec: CoreV1.ServiceSpec(),
                    expected: ["no-type", "", "<none>", "<unknown>", "<none>", "<unknown>", "<none>"], wide: true),
    ]

    @Test(arguments: services)
    func service(_ sample: ServiceCase) {
        #expect(F.row(ServiceTableConvertor(), sample.service, wide: sample.wide) == sample.expected)
    }

    static func address(_ ip: String) -> CoreV1.EndpointAddress { CoreV1.EndpointAddress(ip: ip) }

    @Test func endpoints() {
        let convertor = EndpointsTableConvertor()
        #expect(F.row(convertor, CoreV1.Endpoints(metadata: F.meta("endpoint1", created: F.justCreated)))
            == ["endpoint1", "<none>", "0s"])
        let portless = CoreV1.Endpoints(metadata: F.meta("endpoint3", created: F.ago(300)),
                                        subsets: [CoreV1.EndpointSubset(addresses: [Self.address("1.2.3.4"), Self.address("5.6.7.8")])])
        #expect(F.row(convertor, portless) == ["endpoint3", "1.2.3.4,5.6.7.8", "5m"])
        let ported = CoreV1.Endpoints(metadata: F.meta("endpoint2", created: F.justCreated), subsets: [
            CoreV1.EndpointSubset(addresses: [Self.address("1.2.3.4"), Self.address("5.6.7.8")],
                                  ports: [CoreV1.EndpointPort(port: 8001, protocol: "tcp")]),
        ])
        #expect(F.row(convertor, ported) == ["endpoint2", "1.2.3.4:8001,5.6.7.8:8001", "0s"])
        let many = CoreV1.Endpoints(metadata: F.meta("endpoint2", created: F.justCreated), subsets: [
            CoreV1.EndpointSubset(addresses: ["1.2.3.4", "5.6.7.8", "9.8.7.6", "6.6.6.6"].map(Self.address),
                                  ports: [CoreV1.EndpointPort(port: 8001, protocol: "tcp")]),
        ])
        #expect(F.row(convertor, many) == ["endpoint2", "1.2.3.4:8001,5.6.7.8:8001,9.8.7.6:8001 + 1 more...", "0s"])
        let ipv6 = CoreV1.Endpoints(metadata: F.meta("v6"), subsets: [
            CoreV1.EndpointSubset(addresses: [Self.address("fd00::1")], ports: [CoreV1.EndpointPort(port: 443)]),
        ])
        #expect(F.row(convertor, ipv6)[1] == "[fd00::1]:443")
    }

    static func slicePort(_ name: String?, _ port: Int32?) -> DiscoveryV1.EndpointPort {
        DiscoveryV1.EndpointPort(name: name, port: port, protocol: "TCP")
    }

    @Test func endpointSlices() {
        let convertor = EndpointSliceTableConvertor()
        let one = DiscoveryV1.EndpointSlice(
            addressType: "IPv4", endpoints: [DiscoveryV1.Endpoint(addresses: ["10.1.2.3", "2001:db8::1234:5678"])],
            metadata: F.meta("abcslice.123", created: F.justCreated), ports: [Self.slicePort("http", 80)])
        #expect(F.row(convertor, one) == ["abcslice.123", "IPv4", "80", "10.1.2.3,2001:db8::1234:5678", "0s"])
        let endpoints = [DiscoveryV1.Endpoint(addresses: ["10.1.2.3", "2001:db8::1234:5678"]),
                         DiscoveryV1.Endpoint(addresses: ["10.2.3.4", "2001:db8::2345:6789"])]
        let two = DiscoveryV1.EndpointSlice(addressType: "IPv6", endpoints: endpoints,
                                            metadata: F.meta("longerslicename.123", created: F.ago(300)),
                                            ports: [Self.slicePort("http", 80), Self.slicePort("https", 443)])
        #expect(F.row(convertor, two)
            == ["longerslicename.123", "IPv6", "80,443", "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...", "5m"])
        let four = DiscoveryV1.EndpointSlice(
            addressType: "IPv4", endpoints: endpoints, metadata: F.meta("multiportslice.123", created: F.ago(300)),
            ports: [Self.slicePort("http", 80), Self.slicePort("https", 443), Self.slicePort("extra1", 3000), Self.slicePort("extra2", 3001)])
        #expect(F.row(convertor, four)
            == ["multiportslice.123", "IPv4", "80,443,3000 + 1 more...", "10.1.2.3,2001:db8::1234:5678,10.2.3.4 + 1 more...", "5m"])
        let empty = DiscoveryV1.EndpointSlice(addressType: "FQDN", metadata: F.meta("empty"),
                                              ports: [Self.slicePort("dns", nil), Self.slicePort(nil, nil)])
        #expect(F.row(convertor, empty) == ["empty", "FQDN", "dns,*", "<unset>", "<unknown>"])
    }

    @Test func ingress() {
        let convertor = IngressTableConvertor()
        let ingress = NetworkingV1.Ingress(
            metadata: F.meta("test1", created: F.ago(10 * 365 * F.day)),
            spec: NetworkingV1.IngressSpec(ingressClassName: "foo"),
            status: NetworkingV1.IngressStatus(loadBalancer: NetworkingV1.IngressLoadBalancerStatus(
                ingress: [NetworkingV1.IngressLoadBalancerIngress(hostname: "localhost.localdomain", ip: "2.3.4.5")])))
        #expect(F.row(convertor, ingress) == ["test1", "foo", "*", "2.3.4.5", "80", "10y"])
        #expect(convertor.columns.map(\.name) == ["Name", "Class", "Hosts", "Address", "Ports", "Age"])

        let rules = ["a.example.com", "", "b.example.com", "c.example.com", "d.example.com"]
            .map { NetworkingV1.IngressRule(host: $0.isEmpty ? nil : $0) }
        let busy = NetworkingV1.Ingress(metadata: F.meta("busy"),
                                        spec: NetworkingV1.IngressSpec(rules: rules, tls: [NetworkingV1.IngressTLS(secretName: "s")]))
        #expect(F.row(convertor, busy) == ["busy", "<none>", "a.example.com,b.example.com,c.example.com + 2 more...", "", "80, 443", "<unknown>"])
    }

    static let ingressClasses: [(NetworkingV1.IngressClassParametersReference?, String)] = [
        (NetworkingV1.IngressClassParametersReference(kind: "customgroup", name: "example"), "customgroup/example"),
        (NetworkingV1.IngressClassParametersReference(apiGroup: "example.com", kind: "customgroup", name: "example"),
         "customgroup.example.com/example"),
        (nil, "<none>"),
    ]

    @Test(arguments: ingressClasses)
    func ingressClass(_ sample: (NetworkingV1.IngressClassParametersReference?, String)) {
        let ingressClass = NetworkingV1.IngressClass(
            metadata: F.meta("test1", created: F.ago(11 * 365 * F.day)),
            spec: NetworkingV1.IngressClassSpec(controller: "example.com/controller", parameters: sample.0))
        #expect(F.row(IngressClassTableConvertor(), ingressClass) == ["test1", "example.com/controller", sample.1, "11y"])
    }

    @Test func networkPolicy() {
        let empty = NetworkingV1.NetworkPolicy(metadata: F.meta("policy1", created: F.justCreated), spec: NetworkingV1.NetworkPolicySpec())
        #expect(F.row(NetworkPolicyTableConvertor(), empty) == ["policy1", "<none>", "0s"])
        let selecting = NetworkingV1.NetworkPolicy(
            metadata: F.meta("policy2", created: F.justCreated),
            spec: NetworkingV1.NetworkPolicySpec(podSelector: MetaV1.LabelSelector(matchLabels: ["foo": "bar"])))
        #expect(F.row(NetworkPolicyTableConvertor(), selecting) == ["policy2", "foo=bar", "0s"])
    }
}
