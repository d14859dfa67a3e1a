import Foundation
import KubeClient
import KubeModel
import Synchronization

/// The client side of `skiff bench scheduler`: creates pods as fast as the API server takes
/// them and watches for their bindings, recording create-to-bound latency per pod.
struct SchedulerLoad {
    let client: RESTClient
    let namespace: String

    /// The pod scheduler_perf uses by default: one container, 100m cpu and 500Mi memory.
    static func pod(_ name: String, group: String, antiAffinity: Bool) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = name
        pod.metadata.labels = ["bench": "scheduler", "group": group]
        var container = CoreV1.Container(name: "pause")
        container.image = "registry.k8s.io/pause:3.10"
        container.resources = CoreV1.ResourceRequirements(requests: ["cpu": "100m", "memory": "500Mi"])
        pod.spec.containers = [container]
        if antiAffinity {
            pod.spec.affinity = CoreV1.Affinity(podAntiAffinity: CoreV1.PodAntiAffinity(
                requiredDuringSchedulingIgnoredDuringExecution: [CoreV1.PodAffinityTerm(
                    labelSelector: MetaV1.LabelSelector(matchLabels: ["group": group]),
                    topologyKey: "kubernetes.io/hostname")]))
        }
        return pod
    }

    /// Creates `count` pods named `prefix-N` with `clients` concurrent creators; returns when
    /// each create was sent.
    func createPods(_ count: Int, prefix: String, clients: Int, groups: Int, antiAffinity: Bool)
        async throws -> [String: ContinuousClock.Instant]
    {
        // The created pod comes back whole; the load generator reads only its metadata.
        let path = KubeResourceCatalog.builtIn.resource(for: CoreV1.Pod.self)?.collectionPath(namespace: namespace)
            ?? "/api/v1/namespaces/\(namespace)/pods"
        let client = self.client
        let counter = PodCounter()
        return try await withThrowingTaskGroup(of: [String: ContinuousClock.Instant].self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var sent: [String: ContinuousClock.Instant] = [:]
                    while true {
                        let index = counter.next.add(1, ordering: .relaxed).oldValue
                        guard index < count else { return sent }
                        let name = "\(prefix)-\(index)"
                        sent[name] = .now
                        var pod = Self.pod(name, group: "\(prefix)-g\(index % max(groups, 1))", antiAffinity: antiAffinity)
                        pod.setTypeMeta()
                        let body = try pod.jsonBytes()
                        _ = try await client.send(RESTRequest(method: "POST", path: path, body: body), as: PartialObjectMetadata.self)
                    }
                }
            }
            var all: [String: ContinuousClock.Instant] = [:]
            for try await part in group { all.merge(part) { a, _ in a } }
            return all
        }
    }

    /// The namespace's current resourceVersion (to watch from).
    func currentResourceVersion() async throws -> String {
        try await client.resource(CoreV1.Pod.self, namespace: namespace).list(ListOptions(limit: 1)).metadata.resourceVersion ?? ""
    }

    /// Watches from `resourceVersion` until `expected` pods named `prefix-…` are bound;
    /// returns when each was first seen bound. Stops early (with what it has) after `timeout`.
    /// When the watch ends with an error (410 Gone: the watch cache moved past the version),
    /// relists and watches on from the list's version.
    ///
    /// Only bound pods are watched (``boundPods``): a pod's binding arrives as its ADDED event,
    /// and the API server neither sends nor this process decodes the creates, which are not
    /// the system's work under measurement.
    func waitForBindings(prefix: String, expected: Int, from resourceVersion: String, timeout: Duration)
        async throws -> [String: ContinuousClock.Instant]
    {
        let pods = placements()
        let deadline = ContinuousClock.now + timeout
        var bound: [String: ContinuousClock.Instant] = [:]
        var version = resourceVersion
        while bound.count < expected && ContinuousClock.now < deadline {
            var relist = false
            do {
                try await pods.watch(ListOptions(fieldSelector: Self.boundPods, resourceVersion: version, timeoutSeconds: 30,
                                                 allowWatchBookmarks: true)) { events in
                    for try await event in events {
                        switch event {
                        case .added(let pod), .modified(let pod):
                            version = pod.metadata.resourceVersion ?? version
                            Self.record(pod, prefix: prefix, into: &bound)
                        case .bookmark(let resourceVersion):
                            version = resourceVersion
                        case .error:
                            relist = true
                            return
                        case .deleted:
                            break
                        }
                        if bound.count >= expected || ContinuousClock.now >= deadline { return }
                    }
                }
            } catch let error as StatusError where error.isGone {
                relist = true
            }
            if relist { version = try await self.relist(pods, prefix: prefix, into: &bound) }
        }
        return bound
    }

    /// Waits until no pod of the namespace is bound but not yet Running: the hollow nodes have
    /// caught up with the last phase's bindings, so their status writes do not spill into the
    /// next phase's measurement (scheduler_perf has no kubelets and no such carry-over).
    func waitUntilBoundPodsRun(timeout: Duration) async throws {
        let pods = client.resource(CoreV1.Pod.self, namespace: namespace)
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while clock.now < deadline {
            let page = try await pods.list(ListOptions(fieldSelector: "spec.nodeName!=,status.phase!=Running", limit: 1))
            if page.items.isEmpty { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchHTTPClient.Failure(description: "bound pods still not Running after \(timeout)")
    }

    /// How many `Scheduled` events the namespace holds for the pods named `prefix-…` (an event is
    /// named after its object: `<pod>.<suffix>`), read page by page.
    func scheduledEvents(prefix: String) async throws -> Int {
        guard let resource = KubeResourceCatalog.builtIn.resource(for: CoreV1.Event.self) else {
            preconditionFailure("the built-in catalog lists events")
        }
        let events = client.resource(PartialObjectMetadata.self, of: resource, namespace: namespace)
        var count = 0
        try await events.listPages(ListOptions(fieldSelector: "reason=Scheduled", limit: 1000)) { items in
            count += items.count { ($0.metadata.name ?? "").hasPrefix(prefix + "-") }
        }
        return count
    }

    /// The field selector of the pods a node was chosen for.
    static let boundPods = "spec.nodeName!="

    /// The namespace's pods as the benchmark reads them (``PodPlacement``).
    private func placements() -> ResourceClient<PodPlacement> {
        guard let resource = KubeResourceCatalog.builtIn.resource(for: CoreV1.Pod.self) else {
            preconditionFailure("the built-in catalog lists pods")
        }
        return client.resource(PodPlacement.self, of: resource, namespace: namespace)
    }

    /// Records `pod`, now, if it is one of `prefix`'s, bound, and not recorded yet.
    static func record(_ pod: PodPlacement, prefix: String, into bound: inout [String: ContinuousClock.Instant]) {
        let name = pod.metadata.name ?? ""
        if name.hasPrefix(prefix + "-"), !(pod.nodeName ?? "").isEmpty, bound[name] == nil {
            bound[name] = .now
        }
    }

    /// Lists the namespace's bound pods page by page, records those of `prefix` not recorded
    /// yet, and returns the list's resourceVersion (to watch on from).
    private func relist(_ pods: ResourceClient<PodPlacement>, prefix: String,
                        into bound: inout [String: ContinuousClock.Instant]) async throws -> String {
        try await pods.listPages(ListOptions(fieldSelector: Self.boundPods, limit: 1000)) { items in
            for pod in items { Self.record(pod, prefix: prefix, into: &bound) }
        }
    }
}

/// The next pod index, shared by the creators.
private final class PodCounter: Sendable {
    let next = Atomic<Int>(0)
}
