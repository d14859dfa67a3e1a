import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `endpoints-controller`: every Service with a selector has an Endpoints object of
/// the same name listing the selected pods' IPs — ready ones under `addresses`, others under
/// `notReadyAddresses` (all under `addresses` with `publishNotReadyAddresses`), terminating
/// ones left out — with each service port's target port resolved per pod. Services without a
/// selector (such as `default/kubernetes`) are left alone.
public struct EndpointsController: Controller {
    public static let controllerName = "endpoints-controller"
    /// The label and value upstream puts on the Endpoints it manages.
    public static let managedByLabel = "endpoints.kubernetes.io/managed-by"
    public static let managedByValue = "endpoint-controller"
    public static let headlessLabel = "service.kubernetes.io/headless"
    public static let triggerTimeAnnotation = "endpoints.kubernetes.io/last-change-trigger-time"
    public static let overCapacityAnnotation = "endpoints.kubernetes.io/over-capacity"
    /// upstream's `maxCapacity`: addresses beyond it are truncated.
    public static let maxCapacity = 1000

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let services: Lister<CoreV1.Service>
    let pods: Lister<CoreV1.Pod>
    let endpoints: Lister<CoreV1.Endpoints>
    let queue: ControllerQueue

    public init(context: ControllerContext) {
        client = context.client
        events = context.events
        let serviceInformer = context.informers.informer(CoreV1.Service.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        let endpointsInformer = context.informers.informer(CoreV1.Endpoints.self)
        let services = serviceInformer.lister
        self.services = services
        pods = podInformer.lister
        endpoints = endpointsInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        serviceInformer.addEventHandler(.enqueueing { queue.add(ObjectKeys.key(of: $0)) })
        let enqueueServices: @Sendable (CoreV1.Pod) -> Void = { pod in
            let candidates = services.list(namespace: pod.metadata.namespace ?? "")
            for service in EndpointPods.servicesSelecting(pod.metadata.labels ?? [:], in: candidates) {
                queue.add(ObjectKeys.key(of: service))
            }
        }
        podInformer.addEventHandler(EventHandler(
            onAdd: enqueueServices,
            onUpdate: { old, new in
                if old.metadata.labels != new.metadata.labels { enqueueServices(old) }
                enqueueServices(new)
            },
            onDelete: enqueueServices))
        endpointsInformer.addEventHandler(EventHandler(onDelete: { queue.add(ObjectKeys.key(of: $0)) }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// upstream's `syncService` for service `key`.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        guard let service = services.get(namespace: namespace, name: name) else {
            do {
                try await client.delete(CoreV1.Endpoints.self, namespace: namespace, name: name, DeleteOptions())
            } catch let error as StatusError where error.isNotFound {}
            return
        }
        guard let selector = service.spec.selector, service.spec.type != "ExternalName" else { return }
        let selected = pods.list(namespace: namespace, Labels.Selector(matching: selector))
        var (subsets, total) = Self.subsets(for: service, pods: selected)
        let current = endpoints.get(namespace: namespace, name: name)

        var labels = service.metadata.labels ?? [:]
        labels[Self.managedByLabel] = Self.managedByValue
        if EndpointPods.isHeadless(service) { labels[Self.headlessLabel] = "" } else { labels[Self.headlessLabel] = nil }
        var overCapacity: String?
        if total > Self.maxCapacity {
            subsets = Self.truncated(subsets, to: Self.maxCapacity)
            overCapacity = "truncated"
        }
        if let current, Self.normalized(current.subsets ?? []) == subsets, (current.metadata.labels ?? [:]) == labels,
           current.metadata.annotations?[Self.overCapacityAnnotation] == overCapacity {
            return
        }
        var object = current ?? CoreV1.Endpoints()
        object.metadata.name = name
        object.metadata.namespace = namespace
        object.metadata.labels = labels
        var annotations = object.metadata.annotations ?? [:]
        annotations[Self.overCapacityAnnotation] = overCapacity
        if let trigger = Self.lastChangeTriggerTime(service: service, pods: selected) {
            annotations[Self.triggerTimeAnnotation] = trigger.rfc3339
        } else {
            annotations[Self.triggerTimeAnnotation] = nil
        }
        object.metadata.annotations = annotations.isEmpty ? nil : annotations
        object.subsets = subsets.isEmpty ? nil : subsets
        do {
            if current == nil {
                _ = try await client.create(object)
            } else {
                _ = try await client.update(object)
            }
        } catch let error as StatusError where error.reason == "Forbidden" && error.message.contains("being terminated") {
            // The namespace is going away.
        } catch let error as StatusError where error.isConflict || error.isAlreadyExists {
            // The cache was behind; the retry sees the current object.
            throw error
        } catch {
            events.event(service, type: .warning, reason: current == nil ? "FailedToCreateEndpoint" : "FailedToUpdateEndpoint",
                         message: "Failed to \(current == nil ? "create" : "update") endpoint \(key): \(error)")
            throw error
        }
    }

    /// The service's subsets, packed (addresses with the same ports share a subset), and how
    /// many addresses they list.
    static func subsets(for service: CoreV1.Service, pods: [CoreV1.Pod]) -> ([CoreV1.EndpointSubset], Int) {
        let tolerateUnready = service.spec.publishNotReadyAddresses == true
        var entries: [(address: CoreV1.EndpointAddress, ready: Bool, ports: [CoreV1.EndpointPort])] = []
        for pod in pods where EndpointPods.shouldBeInEndpoints(pod, includeTerminating: tolerateUnready) {
            guard let ip = EndpointPods.ipv4Address(pod) else { continue }
            var address = CoreV1.EndpointAddress(ip: ip, nodeName: pod.spec.nodeName, targetRef: EndpointPods.targetRef(pod))
            if EndpointPods.shouldSetHostname(pod, service) { address.hostname = pod.spec.hostname }
            let ready = tolerateUnready || EndpointPods.isReady(pod)
            let servicePorts = service.spec.ports ?? []
            if servicePorts.isEmpty {
                if service.spec.clusterIP == "None" { entries.append((address, ready, [])) }
                continue
            }
            let ports = servicePorts.compactMap { servicePort -> CoreV1.EndpointPort? in
                guard let number = EndpointPods.findPort(pod, servicePort) else { return nil }
                return CoreV1.EndpointPort(appProtocol: servicePort.appProtocol, name: servicePort.name, port: number,
                                           protocol: servicePort.protocol ?? "TCP")
            }
            if !ports.isEmpty { entries.append((address, ready, ports)) }
        }
        return (pack(entries), entries.count)
    }

    /// upstream's `RepackSubsets` + `SortSubsets`: one subset per distinct port set, addresses
    /// and ports sorted.
    static func pack(_ entries: [(address: CoreV1.EndpointAddress, ready: Bool, ports: [CoreV1.EndpointPort])]) -> [CoreV1.EndpointSubset] {
        var groups: [(ports: [CoreV1.EndpointPort], ready: [CoreV1.EndpointAddress], notReady: [CoreV1.EndpointAddress])] = []
        for entry in entries {
            let ports = sortedPorts(entry.ports)
            var index = groups.firstIndex { $0.ports == ports }
            if index == nil { groups.append((ports, [], [])); index = groups.count - 1 }
            if entry.ready { groups[index!].ready.append(entry.address) } else { groups[index!].notReady.append(entry.address) }
        }
        return groups.map { group in
            CoreV1.EndpointSubset(addresses: group.ready.isEmpty ? nil : sortedAddresses(group.ready),
                                  notReadyAddresses: group.notReady.isEmpty ? nil : sortedAddresses(group.notReady),
                                  ports: group.ports.isEmpty ? nil : group.ports)
        }.sorted { subsetKey($0) < subsetKey($1) }
    }

    /// Subsets as ``pack(_:)`` would produce them, to compare with what is stored.
    static func normalized(_ subsets: [CoreV1.EndpointSubset]) -> [CoreV1.EndpointSubset] {
        var entries: [(address: CoreV1.EndpointAddress, ready: Bool, ports: [CoreV1.EndpointPort])] = []
        for subset in subsets {
            for address in subset.addresses ?? [] { entries.append((address, true, subset.ports ?? [])) }
            for address in subset.notReadyAddresses ?? [] { entries.append((address, false, subset.ports ?? [])) }
        }
        return pack(entries)
    }

    static func sortedPorts(_ ports: [CoreV1.EndpointPort]) -> [CoreV1.EndpointPort] {
        ports.sorted { ($0.name ?? "", $0.port, $0.protocol ?? "") < ($1.name ?? "", $1.port, $1.protocol ?? "") }
    }

    static func sortedAddresses(_ addresses: [CoreV1.EndpointAddress]) -> [CoreV1.EndpointAddress] {
        addresses.sorted { ($0.ip, $0.targetRef?.uid ?? "") < ($1.ip, $1.targetRef?.uid ?? "") }
    }

    static func subsetKey(_ subset: CoreV1.EndpointSubset) -> String {
        (subset.ports ?? []).map { "\($0.name ?? "")/\($0.port)/\($0.protocol ?? "")" }.joined(separator: ",")
    }

    /// Keeps at most `limit` addresses, ready ones first (upstream's truncation).
    static func truncated(_ subsets: [CoreV1.EndpointSubset], to limit: Int) -> [CoreV1.EndpointSubset] {
        var remaining = limit
        var result = subsets
        for index in result.indices {
            let ready = Array((result[index].addresses ?? []).prefix(remaining))
            remaining -= ready.count
            result[index].addresses = ready.isEmpty ? nil : ready
        }
        for index in result.indices {
            let notReady = Array((result[index].notReadyAddresses ?? []).prefix(remaining))
            remaining -= notReady.count
            result[index].notReadyAddresses = notReady.isEmpty ? nil : notReady
        }
        return result.filter { $0.addresses != nil || $0.notReadyAddresses != nil }
    }

    /// When the last change that this update reflects happened: the latest of the service's
    /// creation and the selected pods' last Ready transitions (or creations).
    static func lastChangeTriggerTime(service: CoreV1.Service, pods: [CoreV1.Pod]) -> MetaV1.Time? {
        let podTimes = pods.compactMap { pod in
            pod.status.conditions?.first { $0.type == "Ready" }?.lastTransitionTime ?? pod.metadata.creationTimestamp
        }
        return (podTimes + [service.metadata.creationTimestamp].compactMap { $0 }).max()
    }
}
