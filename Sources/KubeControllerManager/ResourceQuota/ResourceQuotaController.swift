import Foundation
import KubeClient
import KubeModel
import KubeQuota
import Logging

/// upstream's `resourcequota-controller`: keeps each ResourceQuota's `status.hard` equal to
/// its spec and `status.used` equal to what its namespace holds — pods (by scope), services,
/// claims, config maps, secrets, replication controllers and quotas from the informer caches,
/// `count/<resource>.<group>` of any other built-in resource by a live list. Quotas are
/// recomputed when what they track changes (a pod ends or goes, a service is deleted, …) and
/// every five minutes (upstream's `--resource-quota-sync-period`), which also returns usage
/// reserved by admission for objects that were never stored.
public struct ResourceQuotaController: Controller {
    public static let controllerName = "resourcequota-controller"
    public static let resyncPeriod: Duration = .seconds(300)

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let quotas: Lister<CoreV1.ResourceQuota>
    let pods: Lister<CoreV1.Pod>
    let services: Lister<CoreV1.Service>
    let claims: Lister<CoreV1.PersistentVolumeClaim>
    let queue: ControllerQueue
    let now: @Sendable () -> Date

    public init(context: ControllerContext, now: @escaping @Sendable () -> Date = Date.init) {
        client = context.client
        self.now = now
        let informers = context.informers
        let quotaInformer = informers.informer(CoreV1.ResourceQuota.self)
        let podInformer = informers.informer(CoreV1.Pod.self)
        let serviceInformer = informers.informer(CoreV1.Service.self)
        let claimInformer = informers.informer(CoreV1.PersistentVolumeClaim.self)
        quotas = quotaInformer.lister
        pods = podInformer.lister
        services = serviceInformer.lister
        claims = claimInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        quotaInformer.addEventHandler(EventHandler(
            onAdd: { queue.add(ObjectKeys.key(of: $0)) },
            onUpdate: { old, new in
                // Its own status writes need no new pass; a changed spec (or status hard) does.
                if old.spec != new.spec || new.status.hard != new.spec.hard { queue.add(ObjectKeys.key(of: new)) }
            }))
        let lister = quotas
        let enqueueNamespace: @Sendable (String) -> Void = { namespace in
            for quota in lister.list(namespace: namespace) { queue.add(ObjectKeys.key(of: quota)) }
        }
        podInformer.addEventHandler(EventHandler(
            onAdd: { enqueueNamespace($0.metadata.namespace ?? "") },
            onUpdate: { old, new in
                if Self.podUsageChanged(old, new) { enqueueNamespace(new.metadata.namespace ?? "") }
            },
            onDelete: { enqueueNamespace($0.metadata.namespace ?? "") }))
        serviceInformer.addEventHandler(EventHandler(
            onAdd: { enqueueNamespace($0.metadata.namespace ?? "") },
            onUpdate: { old, new in if old.spec.type != new.spec.type || old.spec.ports != new.spec.ports { enqueueNamespace(new.metadata.namespace ?? "") } },
            onDelete: { enqueueNamespace($0.metadata.namespace ?? "") }))
        claimInformer.addEventHandler(EventHandler(
            onAdd: { enqueueNamespace($0.metadata.namespace ?? "") },
            onUpdate: { old, new in if old.spec.resources != new.spec.resources { enqueueNamespace(new.metadata.namespace ?? "") } },
            onDelete: { enqueueNamespace($0.metadata.namespace ?? "") }))
    }

    /// A pod's quota usage changes when it ends, starts terminating, or its resources change.
    static func podUsageChanged(_ old: CoreV1.Pod, _ new: CoreV1.Pod) -> Bool {
        old.status.phase != new.status.phase || old.metadata.deletionTimestamp != new.metadata.deletionTimestamp
            || old.spec.containers.map(\.resources) != new.spec.containers.map(\.resources)
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// Recomputes quota `key`'s status and comes back after the resync period.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let quota = quotas.get(namespace: namespace, name: name) else { return }
        let hard = quota.spec.hard ?? [:]
        let used = try await usage(of: quota, namespace: namespace, hard: hard)
        var status = CoreV1.ResourceQuotaStatus()
        status.hard = hard
        status.used = used
        if status != quota.status {
            var updated = quota
            updated.status = status
            _ = try await client.updateStatus(updated)
        }
        queue.addAfter(key, Self.resyncPeriod)
    }

    /// What the namespace uses of every resource `hard` names (zero where nothing counts).
    func usage(of quota: CoreV1.ResourceQuota, namespace: String, hard: [String: Quantity]) async throws -> [String: Quantity] {
        let names = Set(hard.keys)
        var used: [String: Quantity] = Dictionary(uniqueKeysWithValues: names.map { ($0, Quantity.zero) })
        func count(_ objects: [any KubeObject], group: String, resource: String) {
            for object in objects where QuotaScopes.matches(quota, object, resource: resource) {
                let usage = QuotaUsage.mask(QuotaUsage.usage(of: object, group: group, resource: resource, now: now()), names)
                used = QuotaUsage.add(used, usage)
            }
        }
        count(pods.list(namespace: namespace), group: "", resource: "pods")
        count(services.list(namespace: namespace), group: "", resource: "services")
        count(claims.list(namespace: namespace), group: "", resource: "persistentvolumeclaims")
        let typed: Set<String> = ["count/pods", "count/services", "count/persistentvolumeclaims"]
        for name in names.sorted() {
            let counted: String
            if let legacy = ["configmaps", "secrets", "replicationcontrollers", "resourcequotas"].first(where: { $0 == name }) {
                counted = QuotaUsage.countName(group: "", resource: legacy)
            } else if name.hasPrefix("count/"), !typed.contains(name) {
                counted = name
            } else {
                continue
            }
            guard let resource = Self.resource(forCount: counted) else { continue }
            let objects = try await client.listMetadata(resource, namespace: namespace)
            used[name] = Quantity(value: Int64(objects.count))
        }
        return used
    }

    /// The built-in resource a `count/<resource>[.<group>]` name counts.
    static func resource(forCount name: String) -> KubeResource? {
        let spec = name.dropFirst("count/".count)
        let resourceName: Substring
        let group: Substring
        if let dot = spec.firstIndex(of: ".") {
            resourceName = spec[..<dot]
            group = spec[spec.index(after: dot)...]
        } else {
            resourceName = spec
            group = ""
        }
        return KubeResourceCatalog.builtIn.resources.first {
            $0.group == group && $0.resource == resourceName && $0.namespaced && $0.supports(KubeVerb.list)
        }
    }
}
