import Foundation
import KubeModel

/// Preemption (upstream `DefaultPreemption`): when no node fits, finds nodes where evicting
/// lower-priority pods would let the pod fit, keeps as few victims as it can (reprieving the
/// most important first), and nominates the node whose victims matter least.
///
/// PodDisruptionBudgets count as upstream counts them: victims whose eviction would break a
/// budget are reprieved first, and the node with the fewest such victims wins.
///
/// The fit checks count pods nominated to the node with at least the preemptor's priority
/// (upstream's `RunFilterPluginsWithNominatedPods`), so two preemptors do not count on the
/// same room. Simplifications: candidates are searched from the first unschedulable node, not
/// a random offset; extenders do not exist.
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
        /// Victims whose eviction breaks a PodDisruptionBudget.
        public var disruptionBudgetViolations: Int = 0
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
                let (victims, violations, status) = selectVictims(
                    on: node, pod: pod, state: state, framework: framework, budgets: snapshot.disruptionBudgets,
                    nominator: snapshot.nominator)
                if status.isSuccess && !victims.isEmpty {
                    candidates.append(Candidate(nodeName: node.name, victims: victims, disruptionBudgetViolations: violations))
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
    /// then adds them back — those whose eviction would break a PodDisruptionBudget first, each
    /// group most important first — keeping those the pod still fits with. Returns the victims
    /// (most important first) and how many of them break a budget.
    func selectVictims(on original: NodeInfo, pod: PodInfo, state: CycleState, framework: SchedulingFramework,
                       budgets: [PolicyV1.PodDisruptionBudget] = [], nominator: Nominator = Nominator())
        -> (victims: [PodInfo], violations: Int, status: PluginStatus) {
        var node = original
        let cycle = state.clone()
        let filters = framework.activeFilters(cycle)
        let fits = { (node: NodeInfo) in framework.runFilters(filters, cycle, pod: pod, node: node, nominated: nominator) }
        var potential: [PodInfo] = []
        for existing in original.pods where existing.priority < pod.priority {
            potential.append(existing)
            node.remove(key: existing.key)
            let status = framework.runPreFilterRemovePod(cycle, pod: pod, removing: existing, from: node)
            if !status.isSuccess { return ([], 0, PluginStatus(.error, status.reasons)) }
        }
        if potential.isEmpty {
            return ([], 0, .unresolvable("No preemption victims found for incoming pod"))
        }
        let fit = fits(node)
        if !fit.isSuccess { return ([], 0, fit) }
        potential.sort(by: Self.moreImportant)
        let (violating, nonViolating) = Self.splitByDisruptionBudgets(potential, budgets: budgets)
        var victims: [PodInfo] = []
        var violations = 0
        for (group, breaksBudget) in [(violating, true), (nonViolating, false)] {
            for candidate in group {
                node.add(candidate)
                var status = framework.runPreFilterAddPod(cycle, pod: pod, adding: candidate, to: node)
                if !status.isSuccess { return ([], 0, PluginStatus(.error, status.reasons)) }
                if fits(node).isSuccess { continue }
                node.remove(key: candidate.key)
                status = framework.runPreFilterRemovePod(cycle, pod: pod, removing: candidate, from: node)
                if !status.isSuccess { return ([], 0, PluginStatus(.error, status.reasons)) }
                victims.append(candidate)
                if breaksBudget { violations += 1 }
            }
        }
        if !violating.isEmpty && !nonViolating.isEmpty { victims.sort(by: Self.moreImportant) }
        return (victims, violations, .success)
    }

    /// Upstream `filterPodsWithPDBViolation`: walking `pods` in order, each pod takes one
    /// disruption from every budget of its namespace that selects it (a budget without a
    /// selector, or an empty one, selects nothing; pods the budget lists as disrupted already
    /// take none); a pod that takes a budget below zero breaks it.
    static func splitByDisruptionBudgets(_ pods: [PodInfo], budgets: [PolicyV1.PodDisruptionBudget])
        -> (violating: [PodInfo], nonViolating: [PodInfo]) {
        guard !budgets.isEmpty else { return ([], pods) }
        let selectors: [Labels.Selector?] = budgets.map { budget in
            guard let selector = budget.spec.selector,
                  !(selector.matchLabels ?? [:]).isEmpty || !(selector.matchExpressions ?? []).isEmpty else { return nil }
            return try? Labels.Selector(selector)
        }
        var allowed = budgets.map { $0.status.disruptionsAllowed ?? 0 }
        var violating: [PodInfo] = []
        var nonViolating: [PodInfo] = []
        for pod in pods {
            var breaks = false
            if !pod.labels.isEmpty {
                for (index, budget) in budgets.enumerated() where budget.metadata.namespace == pod.namespace {
                    guard let selector = selectors[index], selector.matches(pod.labels) else { continue }
                    if budget.status.disruptedPods?[pod.name] != nil { continue }
                    allowed[index] -= 1
                    if allowed[index] < 0 { breaks = true }
                }
            }
            if breaks { violating.append(pod) } else { nonViolating.append(pod) }
        }
        return (violating, nonViolating)
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

    /// Upstream `pickOneNodeForPreemption`: the fewest PodDisruptionBudget violations, then the
    /// lowest highest-victim priority, then the smallest priority sum, then the fewest victims,
    /// then the latest earliest start among the highest-priority victims, then the first.
    static func pickOneNode(_ candidates: [Candidate]) -> Candidate? {
        if candidates.count <= 1 { return candidates.first }
        let rules: [(Candidate) -> Int64] = [
            { -Int64($0.disruptionBudgetViolations) },
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
