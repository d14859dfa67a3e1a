import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// Services and selected pods as the Endpoints and EndpointSlice tests need them.
enum EndpointFixtures {
    static func service(_ name: String = "foo", selector: [String: String]? = ["app": "web"],
                        ports: [CoreV1.ServicePort] = [CoreV1.ServicePort(name: "http", port: 80, protocol: "TCP", targetPort: .string("http"))],
                        clusterIP: String = "10.43.0.10", publishNotReady: Bool = false,
                        labels: [String: String]? = nil) -> CoreV1.Service {
        var service = CoreV1.Service()
        service.metadata.name = name
        service.metadata.namespace = "ns"
        service.metadata.uid = "uid-svc-\(name)"
        service.metadata.labels = labels
        service.metadata.creationTimestamp = MetaV1.Time(secondsSinceEpoch: 1_600_000_000)
        service.spec.selector = selector
        service.spec.ports = ports
        service.spec.clusterIP = clusterIP
        service.spec.publishNotReadyAddresses = publishNotReady ? true : nil
        return service
    }

    static func pod(_ name: String, ip: String, ready: Bool = true, port: Int32 = 8080, portName: String = "http",
                    node: String = "node-1", labels: [String: String] = ["app": "web"], terminating: Bool = false,
                    hostname: String? = nil, subdomain: String? = nil) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.namespace = "ns"
        pod.metadata.uid = "uid-\(name)"
        pod.metadata.labels = labels
        pod.metadata.creationTimestamp = MetaV1.Time(secondsSinceEpoch: 1_600_000_100)
        if terminating { pod.metadata.deletionTimestamp = MetaV1.Time(secondsSinceEpoch: 1_600_000_200) }
        pod.spec.nodeName = node
        pod.spec.hostname = hostname
        pod.spec.subdomain = subdomain
        var container = CoreV1.Container()
        container.name = "app"
        container.ports = [CoreV1.ContainerPort(containerPort: port, name: portName, protocol: "TCP")]
        pod.spec.containers = [container]
        pod.status.phase = "Running"
        pod.status.podIP = ip
        pod.status.podIPs = [CoreV1.PodIP(ip: ip)]
        pod.status.conditions = [CoreV1.PodCondition(
            lastTransitionTime: MetaV1.Time(secondsSinceEpoch: 1_600_000_150), status: ready ? "True" : "False", type: "Ready")]
        return pod
    }

    static func address(_ pod: String, _ ip: String, node: String = "node-1", hostname: String? = nil) -> CoreV1.EndpointAddress {
        CoreV1.EndpointAddress(hostname: hostname, ip: ip, nodeName: node,
                               targetRef: CoreV1.ObjectReference(kind: "Pod", name: pod, namespace: "ns", uid: "uid-\(pod)"))
    }
}

@Suite struct EndpointsControllerTests {
    typealias F = EndpointFixtures
    static let http = [CoreV1.EndpointPort(name: "http", port: 8080, protocol: "TCP")]

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var service: CoreV1.Service
        var pods: [CoreV1.Pod]
        /// nil: no Endpoints written.
        var expected: [CoreV1.EndpointSubset]?
        var testDescription: String { label }
    }

    // upstream endpoints_controller_test.go's TestSyncEndpoints* cases.
    static let cases: [Case] = [
        Case(label: "service without selector is left alone", service: F.service(selector: nil),
             pods: [F.pod("a", ip: "1.2.3.4")], expected: nil),
        Case(label: "ready pods are addresses, named target port resolved", service: F.service(),
             pods: [F.pod("b", ip: "1.2.3.5"), F.pod("a", ip: "1.2.3.4")],
             expected: [CoreV1.EndpointSubset(addresses: [F.address("a", "1.2.3.4"), F.address("b", "1.2.3.5")], ports: http)]),
        Case(label: "unready pods are notReadyAddresses", service: F.service(),
             pods: [F.pod("a", ip: "1.2.3.4"), F.pod("b", ip: "1.2.3.5", ready: false)],
             expected: [CoreV1.EndpointSubset(addresses: [F.address("a", "1.2.3.4")],
                                              notReadyAddresses: [F.address("b", "1.2.3.5")], ports: http)]),
        Case(label: "publishNotReadyAddresses lists unready pods as ready", service: F.service(publishNotReady: true),
             pods: [F.pod("b", ip: "1.2.3.5", ready: false)],
             expected: [CoreV1.EndpointSubset(addresses: [F.address("b", "1.2.3.5")], ports: http)]),
        Case(label: "terminating pods are left out", service: F.service(),
             pods: [F.pod("a", ip: "1.2.3.4"), F.pod("b", ip: "1.2.3.5", terminating: true)],
             expected: [CoreV1.EndpointSubset(addresses: [F.address("a", "1.2.3.4")], ports: http)]),
        Case(label: "pods with different target ports get different subsets", service: F.service(),
             pods: [F.pod("a", ip: "1.2.3.4", port: 8080), F.pod("b", ip: "1.2.3.5", port: 9090)],
             expected: [
                CoreV1.EndpointSubset(addresses: [F.address("a", "1.2.3.4")], ports: http),
                CoreV1.EndpointSubset(addresses: [F.address("b", "1.2.3.5")],
                                      ports: [CoreV1.EndpointPort(name: "http", port: 9090, protocol: "TCP")]),
             ]),
        Case(label: "pods without the named port are left out", service: F.service(),
             pods: [F.pod("a", ip: "1.2.3.4", portName: "metrics")], expected: []),
        Case(label: "pods without an IP are left out", service: F.service(), pods: [F.pod("a", ip: "")], expected: []),
        Case(label: "other pods are not selected", service: F.service(),
             pods: [F.pod("a", ip: "1.2.3.4", labels: ["app": "db"])], expected: []),
        Case(label: "headless service without ports, hostname from the subdomain",
             service: F.service(ports: [], clusterIP: "None"),
             pods: [F.pod("a", ip: "1.2.3.4", hostname: "a", subdomain: "foo"), F.pod("b", ip: "1.2.3.5", hostname: "b")],
             expected: [CoreV1.EndpointSubset(addresses: [F.address("a", "1.2.3.4", hostname: "a"), F.address("b", "1.2.3.5")])]),
        Case(label: "numeric target port", service: F.service(ports: [CoreV1.ServicePort(name: "web", port: 80, protocol: "TCP", targetPort: .int(8088))]),
             pods: [F.pod("a", ip: "1.2.3.4")],
             expected: [CoreV1.EndpointSubset(addresses: [F.address("a", "1.2.3.4")],
                                              ports: [CoreV1.EndpointPort(name: "web", port: 8088, protocol: "TCP")])]),
    ]

    @Test(arguments: cases)
    func syncService(_ testCase: Case) async throws {
        let harness = ControllerTestHarness()
        let controller = EndpointsController(context: harness.context)
        harness.cache(testCase.service)
        for pod in testCase.pods { harness.cache(pod) }
        try await controller.reconcile("ns/foo")
        guard let expected = testCase.expected else {
            #expect(harness.client.writes.isEmpty)
            return
        }
        #expect(harness.client.writes.map(\.description) == ["create Endpoints ns/foo"])
        let endpoints = try #require(harness.client.object(CoreV1.Endpoints.self, namespace: "ns", name: "foo"))
        #expect((endpoints.subsets ?? []) == expected)
    }

    @Test func labelsAndTriggerTime() async throws {
        let harness = ControllerTestHarness()
        let controller = EndpointsController(context: harness.context)
        harness.cache(F.service(clusterIP: "None", labels: ["team": "a"]))
        harness.cache(F.pod("a", ip: "1.2.3.4"))
        try await controller.reconcile("ns/foo")
        let endpoints = try #require(harness.client.object(CoreV1.Endpoints.self, namespace: "ns", name: "foo"))
        #expect(endpoints.metadata.labels == [
            "team": "a", "service.kubernetes.io/headless": "", "endpoints.kubernetes.io/managed-by": "endpoint-controller",
        ])
        #expect(endpoints.metadata.annotations?["endpoints.kubernetes.io/last-change-trigger-time"] == "2020-09-13T12:29:10Z")
    }

    @Test func unchangedEndpointsAreNotWrittenAgainAndAGoneServiceLosesThem() async throws {
        let harness = ControllerTestHarness()
        let controller = EndpointsController(context: harness.context)
        harness.cache(F.service())
        harness.cache(F.pod("a", ip: "1.2.3.4"))
        try await controller.reconcile("ns/foo")
        let created = try #require(harness.client.object(CoreV1.Endpoints.self, namespace: "ns", name: "foo"))
        harness.cache(created)
        try await controller.reconcile("ns/foo")
        #expect(harness.client.writes.count == 1)
        // A pod goes away: the address is dropped.
        harness.informers.informer(CoreV1.Pod.self).indexer.delete(key: "ns/a")
        try await controller.reconcile("ns/foo")
        #expect(harness.client.writes.map(\.description) == ["create Endpoints ns/foo", "update Endpoints ns/foo"])
        #expect(harness.client.object(CoreV1.Endpoints.self, namespace: "ns", name: "foo")?.subsets == nil)
        harness.informers.informer(CoreV1.Service.self).indexer.delete(key: "ns/foo")
        try await controller.reconcile("ns/foo")
        #expect(harness.client.object(CoreV1.Endpoints.self, namespace: "ns", name: "foo") == nil)
    }
}
