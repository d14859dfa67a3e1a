import Foundation
import KubeModel
import Testing
@testable import Kubemark

@Suite struct HollowNodeTemplateTests {
    static let configuration = HollowNodeConfiguration(
        count: 3, labels: ["zone": "a", "kubernetes.io/os": "windows"],
        taints: [CoreV1.Taint(effect: "NoSchedule", key: "hollow", value: "true")])
    static let template = HollowNodeTemplate(configuration: configuration, kubeletVersion: "v1.36.0+skiff-0.1.0")
    static let identity = HollowNodeIdentity(index: 2, name: "hollow-node-2")
    static let now = MetaV1.Time(secondsSinceEpoch: 1_700_000_000)

    @Test func nodeHasKubeletsShape() throws {
        let node = Self.template.node(for: Self.identity, now: Self.now)
        #expect(node.metadata.name == "hollow-node-2")
        #expect(node.metadata.labels == [
            "kubernetes.io/hostname": "hollow-node-2", "kubernetes.io/os": "linux", "kubernetes.io/arch": "amd64",
            "beta.kubernetes.io/os": "linux", "beta.kubernetes.io/arch": "amd64", "zone": "a",
        ])
        #expect(node.spec.taints == [CoreV1.Taint(effect: "NoSchedule", key: "hollow", value: "true")])
        #expect(node.spec.podCIDR == nil)
        let status = node.status
        #expect(status.capacity?["cpu"] == Quantity(value: 8))
        #expect(status.capacity?["memory"] == Quantity.mustParse("32Gi"))
        #expect(status.capacity?["pods"] == Quantity(value: 110))
        #expect(status.capacity?["ephemeral-storage"] == Quantity.mustParse("100Gi"))
        #expect(status.allocatable == status.capacity)
        #expect(status.addresses == [
            CoreV1.NodeAddress(address: "127.64.0.3", type: "InternalIP"),
            CoreV1.NodeAddress(address: "hollow-node-2", type: "Hostname"),
        ])
        #expect(status.daemonEndpoints?.kubeletEndpoint?.Port == 10250)
        let info = try #require(status.nodeInfo)
        #expect(info.kubeletVersion == "v1.36.0+skiff-0.1.0")
        #expect(info.containerRuntimeVersion.hasPrefix("hollow://"))
        #expect(info.operatingSystem == "linux" && info.architecture == "amd64")
        #expect(info.machineID.count == 32 && info.systemUUID.count == 36 && info.bootID != info.systemUUID)
    }

    @Test(arguments: [
        ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
    ])
    func conditionsHaveUpstreamReasons(type: String, status: String, reason: String, message: String) throws {
        let conditions = Self.template.conditions(now: Self.now)
        #expect(conditions.map(\.type) == ["MemoryPressure", "DiskPressure", "PIDPressure", "Ready"])
        let condition = try #require(conditions.first { $0.type == type })
        #expect(condition.status == status && condition.reason == reason && condition.message == message)
        #expect(condition.lastHeartbeatTime == Self.now && condition.lastTransitionTime == Self.now)
    }

    @Test func heartbeatKeepsTransitionTimesOfUnchangedConditions() {
        let earlier = MetaV1.Time(secondsSinceEpoch: 1_600_000_000)
        var previous = Self.template.conditions(now: earlier)
        previous[3].status = "Unknown"
        let refreshed = Self.template.conditions(now: Self.now, previous: previous)
        #expect(refreshed.allSatisfy { $0.lastHeartbeatTime == Self.now })
        #expect(refreshed[0].lastTransitionTime == earlier)
        #expect(refreshed[3].lastTransitionTime == Self.now)
    }

    @Test func currentStatusIgnoresHeartbeatTimes() {
        let status = Self.template.status(for: Self.identity, now: Self.now)
        #expect(Self.template.isCurrent(status, for: Self.identity))
        var notReady = status
        notReady.conditions?[3].status = "Unknown"
        #expect(!Self.template.isCurrent(notReady, for: Self.identity))
        #expect(!Self.template.isCurrent(CoreV1.NodeStatus(), for: Self.identity))
    }

    @Test func leaseIsHeldAndOwnedByTheNode() throws {
        let renew = MetaV1.MicroTime(microsecondsSinceEpoch: 1_700_000_000_123_456)
        let lease = Self.template.lease(for: Self.identity, nodeUID: "uid-2", renewTime: renew)
        #expect(lease.metadata.namespace == "kube-node-lease" && lease.metadata.name == "hollow-node-2")
        #expect(lease.spec.holderIdentity == "hollow-node-2" && lease.spec.leaseDurationSeconds == 40)
        #expect(lease.spec.renewTime == renew)
        let owner = try #require(lease.metadata.ownerReferences?.first)
        #expect(owner.apiVersion == "v1" && owner.kind == "Node" && owner.name == "hollow-node-2" && owner.uid == "uid-2")
        let json = String(decoding: try JSONEncoder().encode(lease), as: UTF8.self)
        #expect(json.contains(#""renewTime":"2023-11-14T22:13:20.123456Z""#))
    }

    @Test func identitiesAreUniqueAcrossALargeFleet() {
        let identities = (0..<5000).map { HollowNodeIdentity(index: $0, name: "n-\($0)") }
        #expect(Set(identities.map(\.internalIP)).count == 5000)
        #expect(Set(identities.map(\.defaultPodNetwork)).count == 5000)
        #expect(Set(identities.map(\.machineID)).count == 5000)
        #expect(identities[0].internalIP == "127.64.0.1" && identities[0].defaultPodNetwork.description == "10.128.0.0/24")
        #expect(identities[4999].defaultPodNetwork.description == "10.147.135.0/24")
    }
}
