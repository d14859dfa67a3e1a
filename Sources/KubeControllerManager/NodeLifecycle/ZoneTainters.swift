import Foundation
import KubeModel
import Synchronization

/// upstream's `ZoneState`.
enum ZoneState: String, Sendable {
    case initial = "Initial"
    case normal = "Normal"
    case partialDisruption = "PartialDisruption"
    case fullDisruption = "FullDisruption"
}

/// The node lifecycle controller's zones (upstream's `zoneStates` and `zoneNoExecuteTainter`):
/// each zone's state, computed from its nodes' Ready conditions, and its rate-limited queue of
/// nodes waiting for a NoExecute taint, whose rate follows the state. When every zone is
/// fully disrupted the controller assumes its own network is at fault ("master disruption
/// mode") and stops tainting.
struct ZoneTainters: Sendable {
    /// The `--node-eviction-rate`, `--secondary-node-eviction-rate`,
    /// `--large-cluster-size-threshold` and `--unhealthy-zone-threshold` settings.
    struct Rates: Sendable {
        var evictionQPS: Double
        var secondaryEvictionQPS: Double
        var largeClusterThreshold: Int
        var unhealthyZoneThreshold: Double
    }

    /// What ``handleDisruption(_:now:)`` changed, for the controller to act on and log.
    enum Transition: Sendable, Equatable {
        case unchanged
        /// Every zone is fully disrupted: tainting stopped; the controller removes the NoExecute taints.
        case enteredMasterDisruption
        /// Some node is Ready again: rates reset per zone; the controller resets its health timestamps.
        case exitedMasterDisruption
        /// Zones whose state changed, with their new state.
        case zonesChanged([String: ZoneState])
    }

    let rates: Rates
    private(set) var states: [String: ZoneState] = [:]
    var tainters: [String: RateLimitedTimedQueue] = [:]
    /// The nodes seen so far, by name (upstream's `knownNodeSet`).
    var knownNodes: [String: CoreV1.Node] = [:]

    init(rates: Rates) { self.rates = rates }

    /// upstream's `nodetopology.GetZoneKey`: region and zone (the beta `failure-domain` labels
    /// first), joined by ":\0:"; "" when neither is set.
    static func zoneKey(_ node: CoreV1.Node) -> String {
        let labels = node.metadata.labels ?? [:]
        let zone = labels["failure-domain.beta.kubernetes.io/zone"] ?? labels["topology.kubernetes.io/zone"] ?? ""
        let region = labels["failure-domain.beta.kubernetes.io/region"] ?? labels["topology.kubernetes.io/region"] ?? ""
        if region.isEmpty && zone.isEmpty { return "" }
        return region + ":\u{0}:" + zone
    }

    /// Nodes with this label do not count towards their zone's state.
    static let disruptionExclusionLabel = "node.kubernetes.io/exclude-disruption"

    static func isExcludedFromDisruptionChecks(_ node: CoreV1.Node) -> Bool {
        node.metadata.labels?[disruptionExclusionLabel] != nil
    }

    /// upstream's `ComputeZoneState` over a zone's Ready conditions (nil: none): fully
    /// disrupted when no node is Ready, partially when more than 2 nodes and at least
    /// `unhealthyThreshold` of them are not Ready, normal otherwise. Also answers the not-Ready count.
    static func computeZoneState(_ readyConditions: [CoreV1.NodeCondition?], unhealthyThreshold: Double) -> (notReady: Int, state: ZoneState) {
        let ready = readyConditions.filter { $0?.status == "True" }.count
        let notReady = readyConditions.count - ready
        if ready == 0 && notReady > 0 { return (notReady, .fullDisruption) }
        if notReady > 2 && Double(notReady) / Double(notReady + ready) >= unhealthyThreshold {
            return (notReady, .partialDisruption)
        }
        return (notReady, .normal)
    }

    /// upstream's `addPodEvictorForNewZone`: a zone seen for the first time starts in
    /// `Initial` with a full bucket at the normal rate. True when the zone is new.
    @discardableResult
    mutating func addZone(_ zone: String, now: Date) -> Bool {
        guard states[zone] == nil else { return false }
        states[zone] = .initial
        tainters[zone] = RateLimitedTimedQueue(qps: rates.evictionQPS, now: now)
        return true
    }

    /// upstream's `ReducedQPSFunc`: a partially disrupted zone keeps tainting at the secondary
    /// rate when it has more than `largeClusterThreshold` nodes, and stops otherwise.
    func partialDisruptionQPS(zoneSize: Int) -> Double {
        zoneSize > rates.largeClusterThreshold ? rates.secondaryEvictionQPS : 0
    }

    /// upstream's `setLimiterInZone` (a fully disrupted zone, while others are not, taints at the normal rate).
    mutating func setLimiter(zone: String, zoneSize: Int, state: ZoneState, now: Date) {
        let qps: Double
        switch state {
        case .normal, .fullDisruption: qps = rates.evictionQPS
        case .partialDisruption: qps = partialDisruptionQPS(zoneSize: zoneSize)
        case .initial: return
        }
        tainters[zone]?.swapLimiter(qps: qps, now: now)
    }

    /// upstream's `handleDisruption`: new zone states from the Ready conditions of each zone's
    /// nodes; zones no node is in any more are dropped.
    mutating func handleDisruption(_ zoneConditions: [String: [CoreV1.NodeCondition?]], now: Date) -> Transition {
        var newStates: [String: ZoneState] = [:]
        var allAreFullyDisrupted = true
        for (zone, conditions) in zoneConditions {
            let state = Self.computeZoneState(conditions, unhealthyThreshold: rates.unhealthyZoneThreshold).state
            if state != .fullDisruption { allAreFullyDisrupted = false }
            newStates[zone] = state
            if states[zone] == nil { states[zone] = .initial }
        }
        var allWereFullyDisrupted = true
        for (zone, state) in states {
            guard zoneConditions[zone] != nil else {
                states[zone] = nil
                continue
            }
            if state != .fullDisruption { allWereFullyDisrupted = false }
        }
        if allAreFullyDisrupted && allWereFullyDisrupted { return .unchanged }
        if allAreFullyDisrupted {
            for zone in states.keys {
                tainters[zone]?.swapLimiter(qps: 0, now: now)
                states[zone] = .fullDisruption
            }
            return .enteredMasterDisruption
        }
        if allWereFullyDisrupted {
            for zone in states.keys {
                let state = newStates[zone] ?? .normal
                setLimiter(zone: zone, zoneSize: zoneConditions[zone]?.count ?? 0, state: state, now: now)
                states[zone] = state
            }
            return .exitedMasterDisruption
        }
        var changed: [String: ZoneState] = [:]
        for (zone, state) in states {
            guard let new = newStates[zone], new != state else { continue }
            setLimiter(zone: zone, zoneSize: zoneConditions[zone]?.count ?? 0, state: new, now: now)
            states[zone] = new
            changed[zone] = new
        }
        return changed.isEmpty ? .unchanged : .zonesChanged(changed)
    }

    /// upstream's `markNodeForTainting`: queues the node for the NoExecute taint its Ready
    /// status calls for; a node that lacks that taint is queued again even if it was processed.
    @discardableResult
    mutating func markForTainting(_ node: CoreV1.Node, readyStatus: String, now: Date) -> Bool {
        let zone = Self.zoneKey(node)
        let name = node.metadata.name ?? ""
        guard tainters[zone] != nil else { return false }
        let taints = node.spec.taints ?? []
        let key = readyStatus == "False" ? NodeTaints.notReady : NodeTaints.unreachable
        if !taints.contains(where: { $0.key == key && $0.effect == NodeTaints.noExecute }) {
            tainters[zone]!.remove(name)
        }
        return tainters[zone]!.add(name, uid: node.metadata.uid ?? "", now: now)
    }

    /// Drops the node from its zone's queue (upstream's end of `markNodeAsReachable`).
    @discardableResult
    mutating func unmark(_ node: CoreV1.Node) -> Bool {
        tainters[Self.zoneKey(node)]?.remove(node.metadata.name ?? "") ?? false
    }

    /// How long from `now` until some zone's queue can hand out a node (nil: none can).
    func delayUntilNextTaint(now: Date) -> TimeInterval? {
        tainters.values.compactMap { $0.delayUntilNext(now: now) }.min()
    }

    /// The zones' bookkeeping shared by the controller's workers.
    final class Shared: Sendable {
        private let mutex: Mutex<ZoneTainters>

        init(_ zones: ZoneTainters) { mutex = Mutex(zones) }

        func withLock<Result: Sendable>(_ body: (inout ZoneTainters) -> Result) -> Result {
            mutex.withLock { body(&$0) }
        }
    }
}
