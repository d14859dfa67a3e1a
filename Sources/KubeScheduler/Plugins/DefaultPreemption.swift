import Foundation
import KubeModel

/// Preemption (upstream `DefaultPreemption`): when no node fits, finds nodes where evicting
/// lower-priority pods would let the pod fit, keeps as few victims as it can (reprieving the
/// most important first), and nominates the node whose victims matter least.
///
/// Simplifications: PodDisruptionBudgets are not consulted (every candidate counts as
/// violating none); nominated pods are not added back for the fit checks; candidates are
/// searched from the first unschedulable node, not a random offset; extenders do not exist.
public struct DefaultPreemption: PostFilterPlugin {
    /// Upstream's `minCandidateNodesPercentage` and `minCandidateNodesAbsolute` defaults.
    public var minCandidateNodesPercentage: Int
    public var minCandidateNodesAbsolute: Int

    public init(minCandidateNodesPercentage: Int = 10, minCandidateNodesAbsolute: Int = 100) {
        self.minCandidateNodesPercentage = minCandidateNodesPercentage
        self.minCandidateNodesAbsolute = minCandidateNodesAbsolute
    }

    public var name: String { PluginNames.defaultPreemption }

    /// A node and the pods to evict there, most important first.
    public struct Candidate: Sendable {
        public var nodeName: String
        public var victims: [PodInfo]
    }

    public func postFilter(_ state: CycleState, pod: PodInfo, snapshot: ClusterSnapshot,
                           filtered: [String: PluginStatus], framework: SchedulingFramework) -> PostFilterResult {
        if let reason = ineligibility(pod, snapshot: snapshot, filtered: filtered) {
            return PostFilterResult(status: PluginStatus(.unschedulable, ["preemption: " + reason]))
        }
        // Nodes a filter rejected in a way evicting pods could change.
        let potential = snapshot.nodes.filter { filtered[$0.name]?.code == .unschedulable }
        var statuses: [String: PluginStatus] = [:]
        var candidates: [Candidate] = []
        if !potential.isEmpty {
            let wanted = numberOfCandidates(potential.count)
            for node in potential {
                let (victims, status) = selectVictims(on: node, pod: pod, state: state, framework: framework)
                if status.isSuccess && !victims.isEmpty {
                    candidates.append(Candidate(nodeName: node.name, victims: victims))
                    if candidates.count >= wanted { break }
                } else {
                    statuses[node.name] = status
                }
            }
        }
        guard let best = Self.pickOneNode(candidates) else {
            let message = Self.fitErrorMessage(nodeCount: snapshot.nodes.count, snapshot: snapshot, statuses: statuses)
            // An empty nomination clears any earlier one.
            return PostFilterResult(nominatedNodeName: "", status: PluginStatus(.unschedulable, ["preemption: " + message]))
        }
        return PostFilterResult(nominatedNodeName: best.nodeName, victims: best.victims, status: .success)
    }

    /// Why the pod may not preempt (upstream `PodEligibleToPreemptOthers`), or nil.
    func ineligibility(_ pod: PodInfo, snapshot: ClusterSnapshot, filtered: [String: PluginStatus]) -> String? {
        if pod.pod.spec.preemptionPolicy == "Never" { return "not eligible due to preemptionPolicy=Never." }
        let nominated = pod.pod.status.nominatedNodeName ?? ""
        if !nominated.isEmpty {
            // Preempt again when the nominated node can no longer host the pod at all.
            if filtered[nominated]?.code == .unschedulableAndUnresolvable { return nil }
            if let node = snapshot.node(named: nominated),
               node.pods.contains(where: { $0.priority < pod.priority && Self.terminatingByPreemption($0.pod) }) {
                return "not eligible due to a terminating pod on the nominated node."
            }
        }
        return nil
    }

    static func terminatingByPreemption(_ pod: CoreV1.Pod) -> Bool {
        guard pod.metadata.deletionTimestamp != nil else { return false }
        return (pod.status.conditions ?? []).contains {
            $0.type == "DisruptionTarget" && $0.status == "True" && $0.reason == "PreemptionByScheduler"
        }
    }

    /// Upstream `calculateNumCandidates`: 10% of the nodes, at least 100, at most all.
    func numberOfCandidates(_ nodeCount: Int) -> Int {
        let count = max(nodeCount * minCandidateNodesPercentage / 100, minCandidateNodesAbsolute)
        return min(count, nodeCount)
    }

    /// Upstream `SelectVictimsOnNode`: removes every lower-priority pod, checks the pod fits,
    /// then adds them back most important first, keeping those the pod still fits with.
    func selectVictims(on original: NodeInfo, pod: PodInfo, state: CycleState,
                       framework: SchedulingFramework) -> (victims: [PodInfo], status: PluginStatus) {
        var node = original
        let cycle = state.clone()
        var potential: [PodInfo] = []
        for existing in original.pods where existing.priority < pod.priority {
            potential.append(existing)
            node.remove(key: existing.key)
            let status = framework.runPreFilterRemovePod(cycle, pod: pod, removing: existing, from: node)
            if !status.isSuccess { return ([], PluginStatus(.error, status.reasons)) }
        }
        if potential.isEmpty {
            return ([], .unresolvable("No preemption victims found for incoming pod"))
        }
        let fit = framework.runFilters(cycle, pod: pod, node: node)
        if !fit.isSuccess { return ([], fit) }
        potential.sort(by: Self.moreImportant)
        var victims: [PodInfo] = []
        for candidate in potential {
            node.add(candidate)
            var status = framework.runPreFilterAddPod(cycle, pod: pod, adding: candidate, to: node)
            if !status.isSuccess { return ([], PluginStatus(.error, status.reasons)) }
            if framework.runFilters(cycle, pod: pod, node: node).isSuccess { continue }
            node.remove(key: candidate.key)
            status = framework.runPreFilterRemovePod(cycle, pod: pod, removing: candidate, from: node)
            if !status.isSuccess { return ([], PluginStatus(.error, status.reasons)) }
            victims.append(candidate)
        }
        return (victims, .success)
    }

    /// Upstream `MoreImportantPod`: higher priority, then earlier start.
    static func moreImportant(_ lhs: PodInfo, _ rhs: PodInfo) -> Bool {
        if lhs.priority != rhs.priority { return lhs.priority > rhs.priority }
        return startTime(lhs) < startTime(rhs)
    }

    /// The pod's start time in seconds; pods not started yet count as starting now.
    static func startTime(_ pod: PodInfo) -> Int64 {
        pod.pod.status.startTime?.secondsSinceEpoch ?? Int64(Date().timeIntervalSince1970)
    }

    /// Upstream `pickOneNodeForPreemption` (PDB violations all 0): the lowest highest-victim
    /// priority, then the smallest priority sum, then the fewest victims, then the latest
    /// earliest start among the highest-priority victims, then the first candidate.
    static func pickOneNode(_ candidates: [Candidate]) -> Candidate? {
        if candidates.count <= 1 { return candidates.first }
        let rules: [(Candidate) -> Int64] = [
            { -Int64($0.victims.first?.priority ?? 0) },
            { -$0.victims.reduce(0) { $0 + Int64($1.priority) + Int64(Int32.max) + 1 } },
            { -Int64($0.victims.count) },
            { earliestStartOfHighestPriority($0.victims) },
        ]
        var remaining = candidates
        for rule in rules {
            let scores = remaining.map(rule)
            let best = scores.max()!
            remaining = zip(remaining, scores).filter { $0.1 == best }.map(\.0)
            if remaining.count == 1 { break }
        }
        return remaining.first
    }

    /// Upstream `GetEarliestPodStartTime`: the earliest start among the highest-priority victims.
    static func earliestStartOfHighestPriority(_ victims: [PodInfo]) -> Int64 {
        guard let first = victims.first else { return Int64.min }
        var highest = first.priority
        var earliest = startTime(first)
        for victim in victims {
            if victim.priority == highest {
                earliest = min(earliest, startTime(victim))
            } else if victim.priority > highest {
                highest = victim.priority
                earliest = startTime(victim)
            }
        }
        return earliest
    }

    /// Upstream `FitError.Error()` for the preemption attempt: "0/N nodes are available: …".
    static func fitErrorMessage(nodeCount: Int, snapshot: ClusterSnapshot, statuses: [String: PluginStatus]) -> String {
        var histogram: [String: Int] = [:]
        for node in snapshot.nodes {
            let reasons = statuses[node.name]?.reasons ?? ["Preemption is not helpful for scheduling"]
            for reason in reasons { histogram[reason, default: 0] += 1 }
        }
        let parts = histogram.map { "\($0.value) \($0.key)" }.sorted()
        var message = "0/\(nodeCount) nodes are available:"
        if !parts.isEmpty { message += " " + parts.joined(separator: ", ") + "." }
        return message
    }
}
