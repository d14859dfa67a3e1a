import KubeModel

/// What a fleet of hollow nodes looks like and how it behaves: how many nodes, their names,
/// resources, labels and taints, and the kubelet timings they keep (upstream's defaults).
public struct HollowNodeConfiguration: Sendable {
    /// How many nodes the fleet registers (`<namePrefix><index>`, index from 0).
    public var count: Int
    public var namePrefix: String
    /// Capacity (and allocatable: hollow nodes reserve nothing) by resource name.
    public var capacity: [String: Quantity]
    /// Labels on top of the ones every kubelet sets (hostname, os, arch).
    public var labels: [String: String]
    /// Taints a node is registered with (kubelet's `--register-with-taints`).
    public var taints: [CoreV1.Taint]
    /// `status.nodeInfo.kubeletVersion`; nil: ask the API server (`/version`).
    public var kubeletVersion: String?

    /// kubelet's `nodeLeaseDurationSeconds`.
    public var leaseDurationSeconds: Int32 = 40
    /// How often each node renews its Lease (kubelet: a quarter of the lease duration).
    public var leaseRenewInterval: Duration = .seconds(10)
    /// How often each node re-posts its status when nothing changed (`nodeStatusReportFrequency`).
    public var statusReportFrequency: Duration = .seconds(300)
    /// Pod workers: how many pods are updated or deleted at once.
    public var podWorkers = 16
    /// Heartbeat workers: how many Lease renewals and status reports are in flight at once.
    public var heartbeatWorkers = 32
    /// The fleet's heartbeats are due on multiples of this tick: the nodes due in one tick
    /// renew together (one write to the connection, one commit in the server) instead of one
    /// by one. Zero spreads them evenly, one node at a time. It moves each node's beat by less
    /// than a tick; every node still renews once per `leaseRenewInterval`.
    public var heartbeatTick: Duration = .milliseconds(20)
    /// How many nodes register at once.
    public var registrationConcurrency = 64
    /// Each container's synthetic usage unless its pod's `hollow.skiff.dev/usage` annotation
    /// says otherwise (see ``HollowUsageAnnotation``).
    public var podUsage = HollowResourceUsage.defaultContainer
    /// Each node's usage on top of its pods'.
    public var nodeBaseUsage = HollowResourceUsage.defaultNodeBase
    /// Where the fleet's kubelet stats listener (`/metrics/resource`) binds; port 0: any free port.
    /// Nodes report the bound port as their kubelet endpoint.
    public var statsBindAddress = "0.0.0.0"
    public var kubeletPort = 0

    /// The most nodes one fleet addresses (one synthetic /24 of pod IPs each in 10.128.0.0/9).
    public static let maximumCount = 32_768
    public static let defaultKubeletVersion = "v1.36.0-skiff"
    /// The namespace of node Leases.
    public static let leaseNamespace = "kube-node-lease"

    public init(count: Int, namePrefix: String = "hollow-node-", capacity: [String: Quantity] = Self.defaultCapacity,
                labels: [String: String] = [:], taints: [CoreV1.Taint] = [], kubeletVersion: String? = nil) {
        self.count = count
        self.namePrefix = namePrefix
        self.capacity = capacity
        self.labels = labels
        self.taints = taints
        self.kubeletVersion = kubeletVersion
    }

    /// 8 CPUs, 32 GiB, 110 pods, 100 GiB of ephemeral storage.
    public static var defaultCapacity: [String: Quantity] {
        [
            "cpu": Quantity(value: 8),
            "memory": Quantity.mustParse("32Gi"),
            "pods": Quantity(value: 110),
            "ephemeral-storage": Quantity.mustParse("100Gi"),
            "hugepages-1Gi": Quantity(value: 0),
            "hugepages-2Mi": Quantity(value: 0),
        ]
    }

    public func nodeName(at index: Int) -> String { "\(namePrefix)\(index)" }
}
