import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `node-lifecycle-controller`. Every `--node-monitor-period` it checks all nodes
/// (``monitorNodeHealth()``): one whose kubelet has neither posted status nor renewed its
/// `kube-node-lease` Lease for `--node-monitor-grace-period` gets its conditions set to
/// Unknown and its pods marked not ready. Nodes are grouped by zone; a zone's state (normal,
/// partially or fully disrupted) sets the rate at which its not-Ready nodes get the
/// `not-ready`/`unreachable` NoExecute taint (which the taint eviction controller acts on),
/// through one rate-limited queue per zone (``doNoExecuteTaintingPass()``). When every zone is
/// fully disrupted no node is tainted and the NoExecute taints are removed. A Ready node loses
/// them. On node events the NoSchedule taints are made to match the node's conditions.
public struct NodeLifecycleController: Controller {
    public static let controllerName = "node-lifecycle-controller"
    public static let leaseNamespace = "kube-node-lease"
    /// Node conditions set to Unknown when the kubelet goes quiet (NetworkUnavailable is not).
    static let monitoredConditions = ["Ready", "MemoryPressure", "DiskPressure", "PIDPressure"]
    /// upstream's `NodeHealthUpdateRetry`.
    static let healthUpdateRetries = 5
    /// How soon a node whose Ready condition could not be read is tried again in the taint queue.
    static let taintRetryDelay: TimeInterval = 0.05
    static let monitorKey = "monitor"
    static let taintKey = "taint"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let logger: Logger
    let nodes: Lister<CoreV1.Node>
    let leases: Lister<CoordinationV1.Lease>
    let pods: Lister<CoreV1.Pod>
    /// Node names whose NoSchedule taints are due a look (upstream's `nodeUpdateQueue`).
    let queue: ControllerQueue
    /// The periodic health check of every node.
    let monitorQueue: ControllerQueue
    /// The NoExecute tainting pass, queued when a zone's queue has a node due.
    let taintQueue: ControllerQueue
    let health = NodeHealthMap()
    let zones: ZoneTainters.Shared
    let gracePeriod: Duration
    let startupGracePeriod: Duration
    let monitorPeriod: Duration
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = { Date() }) {
        client = context.client
        events = context.events
        logger = context.logger
        self.now = now
        let configuration = context.configuration
        gracePeriod = configuration.nodeMonitorGracePeriod
        startupGracePeriod = configuration.nodeStartupGracePeriod
        monitorPeriod = configuration.nodeMonitorPeriod
        zones = ZoneTainters.Shared(ZoneTainters(rates: ZoneTainters.Rates(
            evictionQPS: configuration.nodeEvictionRate, secondaryEvictionQPS: configuration.secondaryNodeEvictionRate,
            largeClusterThreshold: configuration.largeClusterSizeThreshold,
            unhealthyZoneThreshold: configuration.unhealthyZoneThreshold)))
        let nodeInformer = context.informers.informer(CoreV1.Node.self)
        nodes = nodeInformer.lister
        leases = context.informers.informer(CoordinationV1.Lease.self, namespace: Self.leaseNamespace).lister
        pods = context.informers.informer(CoreV1.Pod.self).lister
        let queue = ControllerQueue(name: "node_lifecycle_controller", logger: context.logger)
        self.queue = queue
        monitorQueue = ControllerQueue(name: "node_lifecycle_controller_monitor", logger: context.logger)
        taintQueue = ControllerQueue(name: "node_lifecycle_controller_taints", logger: context.logger)
        nodeInformer.addEventHandler(EventHandler(
            onAdd: { queue.add($0.metadata.name ?? "") },
            onUpdate: { _, new in queue.add(new.metadata.name ?? "") },
            onDelete: { _ in }))
    }

    public func run(workers: Int) async {
        monitorQueue.add(Self.monitorKey)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await queue.run(workers: workers) { try await doNoScheduleTaintingPass($0) } }
            group.addTask {
                await monitorQueue.run(workers: 1) { _ in
                    defer { monitorQueue.addAfter(Self.monitorKey, monitorPeriod) }
                    try await monitorNodeHealth()
                    taintQueue.add(Self.taintKey)
                }
            }
            group.addTask {
                await taintQueue.run(workers: 1) { _ in
                    if let delay = await doNoExecuteTaintingPass() {
                        taintQueue.addAfter(Self.taintKey, .milliseconds(Int64((delay * 1000).rounded(.up)) + 1))
                    }
                }
            }
        }
    }

    /// upstream's `monitorNodeHealth`: notes nodes seen and gone, refreshes each node's health
    /// (setting Unknown past the grace period), marks pods of nodes that stopped being Ready,
    /// queues not-Ready nodes for their NoExecute taint, then updates the zone states.
    public func monitorNodeHealth() async throws {
        let all = nodes.list()
        let clock = now()
        for node in classifyNodes(all, now: clock) {
            events.event(node, type: .normal, reason: "RegisteredNode",
                         message: "Registered Node \(node.metadata.name ?? "") in Controller")
            do {
                try await markNodeAsReachable(node)
            } catch {
                logger.warning("Failed to remove taints from node", metadata: ["node": "\(node.metadata.name ?? "")", "error": "\(error)"])
            }
        }
        var zoneConditions: [String: [CoreV1.NodeCondition?]] = [:]
        for listed in all {
            guard let result = await updateHealthRetrying(listed) else { continue }
            let (observed, current, node) = result
            let name = node.metadata.name ?? ""
            if !ZoneTainters.isExcludedFromDisruptionChecks(node) {
                zoneConditions[ZoneTainters.zoneKey(node), default: []].append(current)
            }
            guard let current else {
                health.setNeedsPodRetry(name, false)
                continue
            }
            await processTaintBaseEviction(node, observedStatus: observed.status)
            let becameNotReady = current.status != "True" && observed.status == "True"
            if becameNotReady {
                events.event(node, type: .normal, reason: "NodeNotReady", message: "Node \(name) status is now: NodeNotReady")
            }
            if becameNotReady || (health.needsPodRetry(name) && observed.status != "True") {
                do {
                    try await markPodsNotReady(on: name)
                } catch {
                    logger.warning("unable to mark all pods NotReady on node; queuing for retry",
                                   metadata: ["node": "\(name)", "error": "\(error)"])
                    health.setNeedsPodRetry(name, true)
                    continue
                }
            }
            health.setNeedsPodRetry(name, false)
        }
        await handleDisruption(zoneConditions, nodes: all)
    }

    /// upstream's `classifyNodes` and the bookkeeping around it: new zones get their queue,
    /// nodes gone are forgotten. Answers the nodes seen for the first time.
    func classifyNodes(_ all: [CoreV1.Node], now: Date) -> [CoreV1.Node] {
        let names = Set(all.compactMap(\.metadata.name))
        let (added, deleted) = zones.withLock { zones in
            var added: [CoreV1.Node] = []
            for node in all {
                let name = node.metadata.name ?? ""
                if zones.knownNodes[name] == nil {
                    added.append(node)
                    zones.knownNodes[name] = node
                }
                if zones.addZone(ZoneTainters.zoneKey(node), now: now) {
                    logger.info("Initializing eviction metric for zone", metadata: ["zone": "\(ZoneTainters.zoneKey(node))"])
                }
            }
            let deleted = zones.knownNodes.filter { !names.contains($0.key) }.map(\.value)
            for node in deleted { zones.knownNodes[node.metadata.name ?? ""] = nil }
            return (added, deleted)
        }
        for node in deleted {
            health[node.metadata.name ?? ""] = nil
            events.event(node, type: .normal, reason: "RemovingNode",
                         message: "Removing Node \(node.metadata.name ?? "") from Controller")
        }
        return added
    }

    /// upstream's `handleDisruption`, and what entering or leaving master disruption mode does.
    func handleDisruption(_ zoneConditions: [String: [CoreV1.NodeCondition?]], nodes all: [CoreV1.Node]) async {
        let clock = now()
        let transition = zones.withLock { $0.handleDisruption(zoneConditions, now: clock) }
        switch transition {
        case .unchanged:
            break
        case .enteredMasterDisruption:
            logger.info("Controller detected that all Nodes are not-Ready. Entering master disruption mode")
            for node in all {
                do {
                    try await markNodeAsReachable(node)
                } catch {
                    logger.error("Failed to remove taints from Node", metadata: ["node": "\(node.metadata.name ?? "")"])
                }
            }
        case .exitedMasterDisruption:
            logger.info("Controller detected that some Nodes are Ready. Exiting master disruption mode")
            for node in all { health.resetTimestamps(node.metadata.name ?? "", to: clock) }
        case .zonesChanged(let changed):
            for (zone, state) in changed.sorted(by: { $0.key < $1.key }) {
                logger.info("Controller detected that zone is now in new state",
                            metadata: ["zone": "\(zone)", "newState": "\(state.rawValue)"])
            }
        }
    }

    static func condition(_ type: String, of node: CoreV1.Node) -> CoreV1.NodeCondition? {
        node.status.conditions?.first { $0.type == type }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        let (seconds, attoseconds) = duration.components
        return TimeInterval(seconds) + TimeInterval(attoseconds) / 1e18
    }
}
