import Foundation
import KubeClient
import KubeModel
import Logging

/// upstream's `endpointslice-controller`: every Service with a selector has IPv4
/// EndpointSlices (labelled `kubernetes.io/service-name` and managed by
/// `endpointslice-controller.k8s.io`, owned by the service) listing its pods with their
/// ready/serving/terminating conditions, node and zone, at most 100 per slice.
public struct EndpointSliceController: Controller {
    public static let controllerName = "endpointslice-controller"
    public static let serviceNameLabel = "kubernetes.io/service-name"
    public static let managedByLabel = "endpointslice.kubernetes.io/managed-by"
    public static let managedByValue = "endpointslice-controller.k8s.io"
    public static let zoneLabel = "topology.kubernetes.io/zone"

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let events: any EventSink
    let services: Lister<CoreV1.Service>
    let pods: Lister<CoreV1.Pod>
    let nodes: Lister<CoreV1.Node>
    let slices: Lister<DiscoveryV1.EndpointSlice>
    let queue: ControllerQueue
    let tracker: EndpointSliceTracker
    let maxEndpointsPerSlice: Int

    public init(context: ControllerContext, maxEndpointsPerSlice: Int = EndpointSlicePlanner.defaultMaxEndpointsPerSlice) {
        client = context.client
        events = context.events
        self.maxEndpointsPerSlice = maxEndpointsPerSlice
        let serviceInformer = context.informers.informer(CoreV1.Service.self)
        let podInformer = context.informers.informer(CoreV1.Pod.self)
        let nodeInformer = context.informers.informer(CoreV1.Node.self)
        let sliceInformer = context.informers.informer(DiscoveryV1.EndpointSlice.self)
        let services = serviceInformer.lister
        self.services = services
        pods = podInformer.lister
        nodes = nodeInformer.lister
        slices = sliceInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        let tracker = EndpointSliceTracker()
        self.tracker = tracker
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
        nodeInformer.addEventHandler(EventHandler(
            onAdd: { _ in for service in services.list() where service.spec.selector != nil { queue.add(ObjectKeys.key(of: service)) } },
            onUpdate: { old, new in
                guard old.metadata.labels?[Self.zoneLabel] != new.metadata.labels?[Self.zoneLabel] else { return }
                for service in services.list() where service.spec.selector != nil { queue.add(ObjectKeys.key(of: service)) }
            }))
        let serviceKey: @Sendable (DiscoveryV1.EndpointSlice) -> String? = { slice in
            guard slice.metadata.labels?[Self.managedByLabel] == Self.managedByValue,
                  let service = slice.metadata.labels?[Self.serviceNameLabel] else { return nil }
            return ObjectKeys.key(namespace: slice.metadata.namespace ?? "", name: service)
        }
        sliceInformer.addEventHandler(EventHandler(
            onAdd: { slice in serviceKey(slice).map(queue.add) },
            onUpdate: { _, slice in serviceKey(slice).map(queue.add) },
            onDelete: { slice in
                guard let key = serviceKey(slice) else { return }
                tracker.observedDeletion(service: key, name: slice.metadata.name ?? "")
                queue.add(key)
            }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// upstream's `syncService` for service `key`.
    public func reconcile(_ key: String) async throws {
        let (namespace, name) = ObjectKeys.split(key)
        let existing = slices.list(namespace: namespace, Labels.Selector(matching: [
            Self.serviceNameLabel: name, Self.managedByLabel: Self.managedByValue]))
        guard let service = services.get(namespace: namespace, name: name) else {
            tracker.forget(service: key)
            for slice in existing { try await delete(slice, service: key) }
            return
        }
        guard let selector = service.spec.selector, service.spec.type != "ExternalName" else { return }
        if tracker.isStale(service: key, cached: existing) { throw RequeueAfter(.seconds(1)) }

        let selected = pods.list(namespace: namespace, Labels.Selector(matching: selector))
        var missingNode = false
        var groups: [EndpointSlicePlanner.Group] = []
        for pod in selected where EndpointPods.shouldBeInEndpoints(pod, includeTerminating: true) {
            guard let address = EndpointPods.ipv4Address(pod) else { continue }
            var node: CoreV1.Node?
            if let nodeName = pod.spec.nodeName, !nodeName.isEmpty {
                node = nodes.get(name: nodeName)
                if node == nil {
                    missingNode = true
                    continue
                }
            }
            let endpoint = Self.endpoint(for: pod, address: address, node: node, service: service)
            let ports = Self.ports(for: pod, service: service)
            if let index = groups.firstIndex(where: { $0.ports == ports }) {
                groups[index].endpoints.append(endpoint)
            } else {
                groups.append(.init(ports: ports, endpoints: [endpoint]))
            }
        }
        let planner = EndpointSlicePlanner(template: Self.template(for: service), maxEndpointsPerSlice: maxEndpointsPerSlice)
        var plan = planner.plan(desired: groups, existing: existing)
        if !plan.creates.isEmpty || !plan.updates.isEmpty {
            let trigger = EndpointsController.lastChangeTriggerTime(service: service, pods: selected)
            for index in plan.creates.indices { Self.stamp(&plan.creates[index], trigger) }
            for index in plan.updates.indices { Self.stamp(&plan.updates[index], trigger) }
        }
        do {
            for slice in plan.creates { tracker.wrote(service: key, try await client.create(slice)) }
            for slice in plan.updates { tracker.wrote(service: key, try await client.update(slice)) }
            for slice in plan.deletes { try await delete(slice, service: key) }
        } catch let error as StatusError where error.reason == "Forbidden" && error.message.contains("being terminated") {
            return
        } catch {
            events.event(service, type: .warning, reason: "FailedToUpdateEndpointSlices",
                         message: "Error updating Endpoint Slices for Service \(key): \(error)")
            throw error
        }
        // A pod on a node the cache does not know yet is added once the node shows up.
        if missingNode { throw RequeueAfter(.seconds(1)) }
    }

    private func delete(_ slice: DiscoveryV1.EndpointSlice, service key: String) async throws {
        do {
            try await client.delete(DiscoveryV1.EndpointSlice.self, namespace: slice.metadata.namespace,
                                    name: slice.metadata.name ?? "", DeleteOptions(preconditionUID: slice.metadata.uid))
        } catch let error as StatusError where error.isNotFound {}
        tracker.deleted(service: key, name: slice.metadata.name ?? "")
    }

    /// upstream's `podToEndpoint`.
    static func endpoint(for pod: CoreV1.Pod, address: String, node: CoreV1.Node?, service: CoreV1.Service) -> DiscoveryV1.Endpoint {
        let publishNotReady = service.spec.publishNotReadyAddresses == true
        let serving = publishNotReady || EndpointPods.isReady(pod)
        let terminating = pod.metadata.deletionTimestamp != nil
        let ready = publishNotReady || (serving && !terminating)
        var endpoint = DiscoveryV1.Endpoint(
            addresses: [address], conditions: DiscoveryV1.EndpointConditions(ready: ready, serving: serving, terminating: terminating),
            targetRef: EndpointPods.targetRef(pod))
        if let nodeName = pod.spec.nodeName, !nodeName.isEmpty { endpoint.nodeName = nodeName }
        if let zone = node?.metadata.labels?[zoneLabel], !zone.isEmpty { endpoint.zone = zone }
        if EndpointPods.shouldSetHostname(pod, service) { endpoint.hostname = pod.spec.hostname }
        return endpoint
    }

    /// upstream's `getEndpointPorts`: the service ports this pod has, target ports resolved.
    static func ports(for pod: CoreV1.Pod, service: CoreV1.Service) -> [DiscoveryV1.EndpointPort] {
        let ports = (service.spec.ports ?? []).compactMap { servicePort -> DiscoveryV1.EndpointPort? in
            guard let number = EndpointPods.findPort(pod, servicePort) else { return nil }
            return DiscoveryV1.EndpointPort(appProtocol: servicePort.appProtocol, name: servicePort.name ?? "",
                                            port: number, protocol: servicePort.protocol ?? "TCP")
        }
        return EndpointSlicePlanner.sortedPorts(ports)
    }

    /// What every slice of `service` carries: labels (the service's, plus the reserved ones),
    /// owner, generateName and address type.
    static func template(for service: CoreV1.Service) -> DiscoveryV1.EndpointSlice {
        var labels = (service.metadata.labels ?? [:]).filter {
            ![serviceNameLabel, managedByLabel, EndpointsController.headlessLabel].contains($0.key)
        }
        labels[serviceNameLabel] = service.metadata.name ?? ""
        labels[managedByLabel] = managedByValue
        if EndpointPods.isHeadless(service) { labels[EndpointsController.headlessLabel] = "" }
        var slice = DiscoveryV1.EndpointSlice()
        slice.addressType = "IPv4"
        slice.metadata.namespace = service.metadata.namespace
        slice.metadata.generateName = (service.metadata.name ?? "endpointslice") + "-"
        slice.metadata.labels = labels
        slice.metadata.ownerReferences = [OwnerReferences.controllerReference(to: service)]
        return slice
    }

    static func stamp(_ slice: inout DiscoveryV1.EndpointSlice, _ trigger: MetaV1.Time?) {
        var annotations = slice.metadata.annotations ?? [:]
        annotations[EndpointsController.triggerTimeAnnotation] = trigger?.rfc3339
        slice.metadata.annotations = annotations.isEmpty ? nil : annotations
    }
}
