import Foundation
import KubeClient
import KubeModel
import Logging
import Synchronization

/// upstream's `node-ipam-controller` with its range allocator: every node gets a pod range
/// (`spec.podCIDR`, `spec.podCIDRs`) cut from `--cluster-cidr`. Ranges nodes already have are
/// kept (after a restart too); a deleted node's range is released.
public final class NodeIPAMController: Controller {
    public static let controllerName = "node-ipam-controller"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let nodes: Lister<CoreV1.Node>
    let queue: ControllerQueue
    let state: Guarded

    /// The allocator's state, shared by reconciles (upstream keeps it in the range allocator).
    final class Guarded: Sendable {
        private let mutex: Mutex<State>
        init(_ state: State) { mutex = Mutex(state) }
        func withLock<Result: Sendable>(_ body: (inout State) -> Result) -> Result { mutex.withLock { body(&$0) } }
    }

    struct State: Sendable {
        var cidrs: PodCIDRSet?
        /// Whether the ranges of the nodes in the cache have been taken yet.
        var primed = false
        /// Node name → the range it holds (to release it when the node goes).
        var allocations: [String: String] = [:]
    }

    public init(context: ControllerContext) {
        client = context.client
        events = context.events
        logger = context.logger
        let cidrs = PodCIDRSet(cidr: context.configuration.clusterCIDR, subnetPrefix: context.configuration.nodeCIDRMaskSize)
        if cidrs == nil {
            context.logger.error("invalid cluster CIDR; no pod ranges are allocated", metadata: [
                "clusterCIDR": "\(context.configuration.clusterCIDR)", "maskSize": "\(context.configuration.nodeCIDRMaskSize)"])
        }
        state = Guarded(State(cidrs: cidrs))
        let nodeInformer = context.informers.informer(CoreV1.Node.self)
        nodes = nodeInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        nodeInformer.addEventHandler(EventHandler(
            onAdd: { queue.add($0.metadata.name ?? "") },
            onUpdate: { old, new in
                if old.spec.podCIDRs != new.spec.podCIDRs || new.spec.podCIDRs?.isEmpty ?? true { queue.add(new.metadata.name ?? "") }
            },
            onDelete: { queue.add($0.metadata.name ?? "") }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: 1) { try await self.reconcile($0) }
    }

    /// Gives node `key` a range if it has none; releases the range of a node that is gone.
    public func reconcile(_ key: String) async throws {
        prime()
        guard let node = nodes.get(name: key) else {
            state.withLock { state in
                if let cidr = state.allocations.removeValue(forKey: key) { state.cidrs?.release(cidr) }
            }
            return
        }
        if let existing = node.spec.podCIDRs?.first ?? node.spec.podCIDR, !existing.isEmpty {
            let valid = state.withLock { state in
                state.allocations[key] = existing
                return state.cidrs?.occupy(existing) ?? true
            }
            if !valid {
                events.event(node, type: .normal, reason: "CIDRNotAvailable", message: "Node \(key) status is now: CIDRNotAvailable")
            }
            return
        }
        let allocated: String?? = state.withLock { state in
            guard state.cidrs != nil else { return .some(nil) }
            guard let cidr = state.cidrs!.allocateNext() else { return nil }
            state.allocations[key] = cidr
            return .some(cidr)
        }
        guard case .some(let cidr?) = allocated else {
            if allocated == nil {
                events.event(node, type: .normal, reason: "CIDRNotAvailable", message: "Node \(key) status is now: CIDRNotAvailable")
            }
            return
        }
        let patch: JSONValue = .object(["spec": .object(["podCIDR": .string(cidr), "podCIDRs": .array([.string(cidr)])])])
        do {
            _ = try await client.patch(CoreV1.Node.self, namespace: nil, name: key, ObjectPatch(.merge, json: patch))
        } catch {
            state.withLock { state in
                state.allocations[key] = nil
                state.cidrs?.release(cidr)
            }
            if let status = error as? StatusError, status.isNotFound { return }
            events.event(node, type: .normal, reason: "CIDRAssignmentFailed", message: "Node \(key) status is now: CIDRAssignmentFailed")
            throw error
        }
    }

    /// Takes the ranges every cached node holds, once (upstream does this before it starts).
    func prime() {
        let all = nodes.list()
        state.withLock { state in
            guard !state.primed else { return }
            state.primed = true
            for node in all {
                guard let cidr = node.spec.podCIDRs?.first ?? node.spec.podCIDR, !cidr.isEmpty else { continue }
                if state.cidrs?.occupy(cidr) ?? false { state.allocations[node.metadata.name ?? ""] = cidr }
            }
        }
    }
}
