import KubeClient
import KubeModel
import Logging

/// Registers fleet nodes as kubelet does on start (`registerWithAPIServer`): creates the Node
/// with its full status, or — when it already exists — brings its labels, taints and status up
/// to date; then creates or takes over its Lease. Passing failures are retried with backoff
/// until they succeed; a refusal (403, 422, …) is thrown.
struct NodeRegistrar: Sendable {
    let client: RESTClient
    let template: HollowNodeTemplate
    let table: FleetNodeTable
    let logger: Logger

    private var nodes: ResourceClient<CoreV1.Node> { client.resource(CoreV1.Node.self) }
    private var leases: ResourceClient<CoordinationV1.Lease> {
        client.resource(CoordinationV1.Lease.self, namespace: HollowNodeConfiguration.leaseNamespace)
    }

    /// Registers every node, `concurrency` at a time, calling `registered` after each.
    func registerAll(concurrency: Int, registered: @escaping @Sendable (Int) async -> Void) async throws {
        try await withThrowingTaskGroup(of: Int.self) { group in
            var next = 0
            func startNext() {
                guard next < table.count else { return }
                let index = next
                next += 1
                group.addTask {
                    try await register(index)
                    return index
                }
            }
            for _ in 0..<max(1, concurrency) { startNext() }
            while let index = try await group.next() {
                await registered(index)
                startNext()
            }
        }
    }

    /// Registers node `index` and its Lease.
    func register(_ index: Int) async throws {
        let identity = table.identities[index]
        let node = try await TransientRetry.run { try await registerNode(identity) }
        table.observe(node, at: index)
        let lease = try await TransientRetry.run { try await ensureLease(identity, nodeUID: node.metadata.uid) }
        table.update(index) { record in
            record.lease = lease
            record.registered = true
        }
    }

    private func registerNode(_ identity: HollowNodeIdentity) async throws -> CoreV1.Node {
        var node: CoreV1.Node
        do {
            node = try await nodes.create(template.node(for: identity))
        } catch let error as StatusError where error.isAlreadyExists {
            node = try await reconcileExisting(identity)
        }
        if !template.isCurrent(node.status, for: identity) {
            node = try await postStatus(of: node, identity: identity)
        }
        return node
    }

    /// kubelet's `reconcileExistingNode` (and its label and taint updates): our labels win,
    /// our taints are added when missing, other taints stay.
    private func reconcileExisting(_ identity: HollowNodeIdentity) async throws -> CoreV1.Node {
        var node = try await nodes.get(identity.name)
        var changed = node
        var labels = changed.metadata.labels ?? [:]
        labels.merge(template.labels(for: identity)) { _, ours in ours }
        changed.metadata.labels = labels
        var taints = changed.spec.taints ?? []
        for taint in template.configuration.taints where !taints.contains(where: { $0.key == taint.key && $0.effect == taint.effect }) {
            taints.append(taint)
        }
        changed.spec.taints = taints.isEmpty ? nil : taints
        if changed != node {
            node = try await nodes.update(changed)
        }
        logger.debug("hollow node already registered; updated it", metadata: ["node": "\(identity.name)"])
        return node
    }

    /// Writes the status this node reports onto `node` (fields kubelet does not own are kept).
    func postStatus(of node: CoreV1.Node, identity: HollowNodeIdentity) async throws -> CoreV1.Node {
        var updated = node
        let wanted = template.status(for: identity, previous: node.status.conditions)
        updated.status.capacity = wanted.capacity
        updated.status.allocatable = wanted.allocatable
        updated.status.conditions = wanted.conditions
        updated.status.addresses = wanted.addresses
        updated.status.daemonEndpoints = wanted.daemonEndpoints
        updated.status.nodeInfo = wanted.nodeInfo
        return try await nodes.updateStatus(updated)
    }

    /// Creates the node's Lease, or takes over an existing one (renewed now, owned by this node).
    func ensureLease(_ identity: HollowNodeIdentity, nodeUID: String?) async throws -> CoordinationV1.Lease {
        let fresh = template.lease(for: identity, nodeUID: nodeUID)
        do {
            return try await leases.create(fresh)
        } catch let error as StatusError where error.isAlreadyExists {
            var existing = try await leases.get(identity.name)
            existing.spec = fresh.spec
            existing.metadata.ownerReferences = fresh.metadata.ownerReferences
            return try await leases.update(existing)
        }
    }
}
