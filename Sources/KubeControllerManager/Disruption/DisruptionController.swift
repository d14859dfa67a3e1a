import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `disruption-controller`: keeps each PodDisruptionBudget's status current —
/// expected pods (from the scale of the pods' controllers, or the pod count for an integer
/// minAvailable), desired and current healthy pods, disruptions allowed, the pods the eviction
/// subresource recorded as disrupted (dropped once deleted or after two minutes), and the
/// `DisruptionAllowed` condition. The eviction subresource reads that status.
public struct DisruptionController: Controller {
    public static let controllerName = "disruption-controller"
    /// upstream's `DeletionTimeout`: how long a disrupted pod is expected to take to be deleted.
    public static let deletionTimeout: TimeInterval = 120

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let budgets: Lister<PolicyV1.PodDisruptionBudget>
    let pods: Lister<CoreV1.Pod>
    let scales: ControllerScales
    let queue: ControllerQueue
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = Date.init) {
        client = context.client
        events = context.events
        self.now = now
        let informers = context.informers
        let budgetInformer = informers.informer(PolicyV1.PodDisruptionBudget.self)
        let podInformer = informers.informer(CoreV1.Pod.self)
        budgets = budgetInformer.lister
        pods = podInformer.lister
        scales = ControllerScales(
            replicaSets: informers.informer(AppsV1.ReplicaSet.self).lister,
            deployments: informers.informer(AppsV1.Deployment.self).lister,
            replicationControllers: informers.informer(CoreV1.ReplicationController.self).lister,
            statefulSets: informers.informer(AppsV1.StatefulSet.self).lister)
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        budgetInformer.addEventHandler(.enqueueing { queue.add(ObjectKeys.key(of: $0)) })
        let lister = budgets
        let enqueueBudgets: @Sendable (CoreV1.Pod) -> Void = { pod in
            for budget in Self.budgets(covering: pod, in: lister) { queue.add(ObjectKeys.key(of: budget)) }
        }
        podInformer.addEventHandler(EventHandler(
            onAdd: enqueueBudgets,
            onUpdate: { old, new in
                enqueueBudgets(new)
                if old.metadata.labels != new.metadata.labels { enqueueBudgets(old) }
            },
            onDelete: enqueueBudgets))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// The budgets of the pod's namespace whose selector matches it (policy/v1: an empty
    /// selector matches every pod, a missing one none).
    static func budgets(covering pod: CoreV1.Pod, in lister: Lister<PolicyV1.PodDisruptionBudget>) -> [PolicyV1.PodDisruptionBudget] {
        lister.list(namespace: pod.metadata.namespace ?? "").filter { budget in
            guard let selector = try? Labels.Selector(budget.spec.selector) else { return false }
            return selector.matches(pod.metadata.labels ?? [:])
        }
    }

    /// Recomputes the status of budget `key`; a budget whose status cannot be computed gets
    /// zero disruptions allowed and a `SyncFailed` condition (upstream's fail-safe).
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let budget = budgets.get(namespace: namespace, name: name) else { return }
        do {
            try await sync(budget)
        } catch let error as StatusError where error.isConflict {
            throw error
        } catch {
            try await failSafe(budget, error)
            throw error
        }
    }

    func sync(_ budget: PolicyV1.PodDisruptionBudget) async throws {
        let namespace = budget.metadata.namespace ?? ""
        let selector = (try? Labels.Selector(budget.spec.selector)) ?? .nothing
        let selected = pods.list(namespace: namespace, selector)
        if selected.isEmpty {
            events.event(budget, type: .normal, reason: "NoPods", message: "No matching pods found")
        }
        let expectation = try expectedPods(budget, selected)
        if !expectation.unmanaged.isEmpty {
            events.event(budget, type: .warning, reason: "UnmanagedPods", message:
                "Pods selected by this PodDisruptionBudget (selector: \(Self.describe(budget.spec.selector))) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set \".spec.minAvailable\" field of the PDB to an integer value.")
        }
        let current = now()
        let (disrupted, recheck) = disruptedPods(budget, selected, now: current)
        let healthy = Self.countHealthy(selected, disrupted: disrupted, now: current)
        try await writeStatus(budget, currentHealthy: healthy, desiredHealthy: expectation.desiredHealthy,
                              expected: expectation.expected, disrupted: disrupted)
        if let recheck { queue.addAfter(ObjectKeys.key(of: budget), .seconds(max(0, recheck.timeIntervalSince(current)))) }
    }

    struct Expectation: Equatable {
        var expected: Int32
        var desiredHealthy: Int32
        var unmanaged: [String]
    }

    /// upstream's `getExpectedPodCount`.
    func expectedPods(_ budget: PolicyV1.PodDisruptionBudget, _ pods: [CoreV1.Pod]) throws -> Expectation {
        if let maxUnavailable = budget.spec.maxUnavailable {
            let (expected, unmanaged) = try scales.expectedScale(of: pods)
            let unavailable = try maxUnavailable.scaledValue(total: Int(expected), roundUp: true)
            return Expectation(expected: expected, desiredHealthy: max(0, expected - Int32(unavailable)), unmanaged: unmanaged)
        }
        switch budget.spec.minAvailable {
        case .int(let value)?:
            return Expectation(expected: Int32(pods.count), desiredHealthy: value, unmanaged: [])
        case let minAvailable?:
            let (expected, unmanaged) = try scales.expectedScale(of: pods)
            let desired = try minAvailable.scaledValue(total: Int(expected), roundUp: true)
            return Expectation(expected: expected, desiredHealthy: Int32(desired), unmanaged: unmanaged)
        case nil:
            return Expectation(expected: 0, desiredHealthy: 0, unmanaged: [])
        }
    }

    /// The disrupted pods still expected to go, and when to look again (upstream's `buildDisruptedPodMap`).
    func disruptedPods(_ budget: PolicyV1.PodDisruptionBudget, _ pods: [CoreV1.Pod], now: Date) -> ([String: MetaV1.Time], Date?) {
        guard let recorded = budget.status.disruptedPods else { return ([:], nil) }
        var kept: [String: MetaV1.Time] = [:]
        var recheck: Date?
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            guard let name = pod.metadata.name, let at = recorded[name] else { continue }
            let expectedDeletion = at.date.addingTimeInterval(Self.deletionTimeout)
            if expectedDeletion < now {
                events.event(pod, type: .warning, reason: "NotDeleted", message:
                    "Pod was expected by PDB \(budget.metadata.namespace ?? "")/\(budget.metadata.name ?? "") to be deleted but it wasn't")
            } else {
                kept[name] = at
                if recheck == nil || expectedDeletion < recheck! { recheck = expectedDeletion }
            }
        }
        return (kept, recheck)
    }

    /// Ready pods that are neither being deleted nor recently disrupted.
    static func countHealthy(_ pods: [CoreV1.Pod], disrupted: [String: MetaV1.Time], now: Date) -> Int32 {
        var healthy: Int32 = 0
        for pod in pods where pod.metadata.deletionTimestamp == nil {
            if let at = disrupted[pod.metadata.name ?? ""], at.date.addingTimeInterval(deletionTimeout) > now { continue }
            if pod.status.conditions?.contains(where: { $0.type == "Ready" && $0.status == "True" }) == true { healthy += 1 }
        }
        return healthy
    }

    private func writeStatus(_ budget: PolicyV1.PodDisruptionBudget, currentHealthy: Int32, desiredHealthy: Int32,
                             expected: Int32, disrupted: [String: MetaV1.Time]) async throws {
        var allowed = currentHealthy - desiredHealthy
        if expected <= 0 || allowed <= 0 { allowed = 0 }
        var status = PolicyV1.PodDisruptionBudgetStatus()
        status.currentHealthy = currentHealthy
        status.desiredHealthy = desiredHealthy
        status.expectedPods = expected
        status.disruptionsAllowed = allowed
        status.disruptedPods = disrupted.isEmpty ? nil : disrupted
        status.observedGeneration = budget.metadata.generation
        var conditions = budget.status.conditions ?? []
        StatusConditions.set(&conditions, MetaV1.Condition(
            observedGeneration: budget.metadata.generation, reason: allowed > 0 ? "SufficientPods" : "InsufficientPods",
            status: allowed > 0 ? "True" : "False", type: "DisruptionAllowed"))
        status.conditions = conditions
        var old = budget.status
        if old.disruptedPods?.isEmpty == true { old.disruptedPods = nil }
        guard status != old else { return }
        var updated = budget
        updated.status = status
        _ = try await client.updateStatus(updated)
    }

    private func failSafe(_ budget: PolicyV1.PodDisruptionBudget, _ error: any Error) async throws {
        var updated = budget
        updated.status.disruptionsAllowed = 0
        var conditions = updated.status.conditions ?? []
        StatusConditions.set(&conditions, MetaV1.Condition(
            message: "\(error)", observedGeneration: budget.status.observedGeneration, reason: "SyncFailed",
            status: "False", type: "DisruptionAllowed"))
        updated.status.conditions = conditions
        _ = try await client.updateStatus(updated)
    }

    /// The selector as upstream prints it in the UnmanagedPods event (`&LabelSelector{…}` is Go's
    /// form; Skiff prints the label-selector string).
    static func describe(_ selector: MetaV1.LabelSelector?) -> String {
        guard let selector else { return "<nil>" }
        let labels = (selector.matchLabels ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        let expressions = (selector.matchExpressions ?? []).map { "\($0.key) \($0.operator) (\(($0.values ?? []).joined(separator: ",")))" }
        return (labels + expressions).joined(separator: ",")
    }
}
