import KubeModel

/// The API objects of a hollow node, shaped as upstream kubelet writes them: the Node it
/// registers (labels, taints, capacity, conditions, addresses, nodeInfo, daemon endpoints), the
/// status it reports, and the Lease it renews in `kube-node-lease`.
public struct HollowNodeTemplate: Sendable {
    public let configuration: HollowNodeConfiguration
    public let kubeletVersion: String
    /// `status.daemonEndpoints.kubeletEndpoint.Port`: the fleet's stats listener.
    public let kubeletPort: Int32

    /// kubelet's port.
    public static let defaultKubeletPort: Int32 = 10250

    public init(configuration: HollowNodeConfiguration, kubeletVersion: String, kubeletPort: Int32 = Self.defaultKubeletPort) {
        self.configuration = configuration
        self.kubeletVersion = kubeletVersion
        self.kubeletPort = kubeletPort
    }

    /// The Node a kubelet registers: metadata, spec (taints) and a full status.
    public func node(for identity: HollowNodeIdentity, now: MetaV1.Time = .now()) -> CoreV1.Node {
        var node = CoreV1.Node()
        node.metadata.name = identity.name
        node.metadata.labels = labels(for: identity)
        node.metadata.annotations = ["volumes.kubernetes.io/controller-managed-attach-detach": "true"]
        var spec = CoreV1.NodeSpec()
        spec.taints = configuration.taints.isEmpty ? nil : configuration.taints
        node.spec = spec
        node.status = status(for: identity, now: now)
        return node
    }

    /// kubelet's own labels (`kubernetes.io/hostname`, `kubernetes.io/os`, `kubernetes.io/arch`
    /// and their beta twins) under the configured ones.
    public func labels(for identity: HollowNodeIdentity) -> [String: String] {
        var labels = configuration.labels
        labels["kubernetes.io/hostname"] = identity.name
        labels["kubernetes.io/os"] = "linux"
        labels["kubernetes.io/arch"] = "amd64"
        labels["beta.kubernetes.io/os"] = "linux"
        labels["beta.kubernetes.io/arch"] = "amd64"
        return labels
    }

    /// The status a kubelet posts; conditions keep their `lastTransitionTime` from `previous`
    /// when their status did not change (and take `now` as the heartbeat).
    public func status(for identity: HollowNodeIdentity, now: MetaV1.Time = .now(),
                       previous: [CoreV1.NodeCondition]? = nil) -> CoreV1.NodeStatus {
        var status = CoreV1.NodeStatus()
        status.capacity = configuration.capacity
        status.allocatable = configuration.capacity
        status.conditions = conditions(now: now, previous: previous)
        var internalIP = CoreV1.NodeAddress()
        internalIP.type = "InternalIP"
        internalIP.address = identity.internalIP
        var hostname = CoreV1.NodeAddress()
        hostname.type = "Hostname"
        hostname.address = identity.name
        status.addresses = [internalIP, hostname]
        var endpoint = CoreV1.DaemonEndpoint()
        endpoint.Port = kubeletPort
        var endpoints = CoreV1.NodeDaemonEndpoints()
        endpoints.kubeletEndpoint = endpoint
        status.daemonEndpoints = endpoints
        var info = CoreV1.NodeSystemInfo()
        info.architecture = "amd64"
        info.operatingSystem = "linux"
        info.osImage = "Skiff hollow node"
        info.kernelVersion = "hollow"
        info.containerRuntimeVersion = "hollow://\(kubeletVersion)"
        info.kubeletVersion = kubeletVersion
        info.machineID = identity.machineID
        info.systemUUID = identity.systemUUID
        info.bootID = identity.bootID
        status.nodeInfo = info
        return status
    }

    /// MemoryPressure, DiskPressure and PIDPressure False, Ready True, with upstream's reasons
    /// and messages, in upstream's order.
    public func conditions(now: MetaV1.Time, previous: [CoreV1.NodeCondition]? = nil) -> [CoreV1.NodeCondition] {
        let wanted: [(type: String, status: String, reason: String, message: String)] = [
            ("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
            ("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
            ("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
            ("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        return wanted.map { item in
            let before = previous?.first { $0.type == item.type }
            var condition = CoreV1.NodeCondition()
            condition.type = item.type
            condition.status = item.status
            condition.reason = item.reason
            condition.message = item.message
            condition.lastHeartbeatTime = now
            condition.lastTransitionTime = before?.status == item.status ? (before?.lastTransitionTime ?? now) : now
            return condition
        }
    }

    /// Whether `status` already says everything this node reports apart from heartbeat times
    /// (a report is then due only when the report frequency has passed).
    public func isCurrent(_ status: CoreV1.NodeStatus, for identity: HollowNodeIdentity) -> Bool {
        let wanted = self.status(for: identity, now: MetaV1.Time(secondsSinceEpoch: 0), previous: status.conditions)
        func normalised(_ conditions: [CoreV1.NodeCondition]?) -> [CoreV1.NodeCondition] {
            (conditions ?? []).map { condition in
                var condition = condition
                condition.lastHeartbeatTime = nil
                condition.lastTransitionTime = nil
                return condition
            }.sorted { $0.type < $1.type }
        }
        return normalised(status.conditions) == normalised(wanted.conditions)
            && status.capacity == wanted.capacity && status.allocatable == wanted.allocatable
            && status.addresses == wanted.addresses && status.nodeInfo == wanted.nodeInfo
            && status.daemonEndpoints == wanted.daemonEndpoints
    }

    /// The node's Lease: held by the node, owned by it (so it goes when the node goes).
    public func lease(for identity: HollowNodeIdentity, nodeUID: String?, renewTime: MetaV1.MicroTime = .now())
        -> CoordinationV1.Lease {
        var lease = CoordinationV1.Lease()
        lease.metadata.name = identity.name
        lease.metadata.namespace = HollowNodeConfiguration.leaseNamespace
        if let nodeUID {
            var owner = MetaV1.OwnerReference()
            owner.apiVersion = "v1"
            owner.kind = "Node"
            owner.name = identity.name
            owner.uid = nodeUID
            lease.metadata.ownerReferences = [owner]
        }
        var spec = CoordinationV1.LeaseSpec()
        spec.holderIdentity = identity.name
        spec.leaseDurationSeconds = configuration.leaseDurationSeconds
        spec.renewTime = renewTime
        lease.spec = spec
        return lease
    }
}
