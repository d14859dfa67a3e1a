import Foundation
import KubeModel
import KubeStore

/// The per-kind steps of a write (see ``KindStrategy``) and the resources services hold (see
/// ``ServiceAllocator``), called from create, update/patch and delete.
extension ResourceRegistry {
    var serviceAllocator: ServiceAllocator { ServiceAllocator(store: store, network: serviceNetwork) }

    static func isServices(_ resource: KubeResource) -> Bool { resource.group.isEmpty && resource.resource == "services" }

    /// Defaults, create preparation and validation of a new object whose name, namespace and
    /// uid are set. Throws 422 with every field cause.
    func admitCreate(_ object: inout any KubeObject, resource: KubeResource) throws {
        var causes = ObjectMetaValidation.validate(object.metadata)
        if let strategy = strategies.strategy(for: resource) {
            strategy.applyDefaults(&object)
            causes = strategy.prepareAndValidateCreate(&object)
        }
        try Self.throwIfInvalid(causes, object, resource)
    }

    /// Defaults, update preparation and validation of `object` replacing `old`.
    func admitUpdate(_ object: inout any KubeObject, old: any KubeObject, resource: KubeResource) throws {
        var causes = ObjectMetaValidation.validate(object.metadata)
        if let strategy = strategies.strategy(for: resource) {
            strategy.applyDefaults(&object)
            causes = strategy.prepareAndValidateUpdate(&object, old: old)
        }
        try Self.throwIfInvalid(causes, object, resource)
    }

    static func throwIfInvalid(_ causes: [APIError.FieldCause], _ object: any KubeObject, _ resource: KubeResource) throws {
        guard !causes.isEmpty else { return }
        throw APIError.invalid(kind: resource.kind, group: resource.group, name: object.metadata.name ?? "", causes: causes)
    }

    // MARK: Services

    /// Cluster IPs and node ports of a new Service (not for dry runs); true when it changed `object`.
    @discardableResult
    func allocateResources(_ object: inout any KubeObject, resource: KubeResource, dryRun: Bool) async throws -> Bool {
        guard Self.isServices(resource), !dryRun, var service = object as? CoreV1.Service else { return false }
        do {
            try await serviceAllocator.allocate(&service)
        } catch let failure as ServiceAllocator.Failure {
            throw Self.invalid(failure, service: service)
        }
        object = service
        return true
    }

    /// Node ports an update adds or drops (not for dry runs); true when it may have changed `object`.
    @discardableResult
    func reallocateResources(_ object: inout any KubeObject, old: any KubeObject, resource: KubeResource, dryRun: Bool) async throws -> Bool {
        guard Self.isServices(resource), !dryRun, var service = object as? CoreV1.Service, let old = old as? CoreV1.Service else { return false }
        do {
            if old.spec.type == "ExternalName" && service.spec.type != "ExternalName" {
                try await serviceAllocator.allocate(&service)
            } else {
                try await serviceAllocator.reconcileNodePorts(&service, old: old)
                if service.spec.type == "ExternalName" && old.spec.type != "ExternalName" {
                    try await serviceAllocator.releaseIP(old.spec.clusterIP ?? "")
                    service.spec.clusterIP = nil
                    service.spec.clusterIPs = nil
                }
            }
        } catch let failure as ServiceAllocator.Failure {
            throw Self.invalid(failure, service: service)
        }
        object = service
        return true
    }

    /// Gives back what a service held once it is gone from the store.
    func releaseResources(_ object: any KubeObject, resource: KubeResource) async {
        guard Self.isServices(resource), let service = object as? CoreV1.Service else { return }
        try? await serviceAllocator.release(service)
    }

    static func invalid(_ failure: ServiceAllocator.Failure, service: CoreV1.Service) -> APIError {
        let cause: APIError.FieldCause
        switch failure {
        case .notInRange(let ip):
            cause = .invalid("spec.clusterIPs", value: ip,
                             "failed to allocate IP \(ip): the provided IP (\(ip)) is not in the valid range")
        case .alreadyAllocated(let ip):
            cause = .init(reason: "FieldValueInvalid", field: "spec.clusterIPs",
                          message: "Invalid value: []string{\"\(ip)\"}: failed to allocate IP \(ip): provided IP is already allocated")
        case .rangeFull:
            cause = .init(reason: "FieldValueInvalid", field: "spec.clusterIPs", message: "Internal error: range is full")
        case .nodePortNotInRange(let port):
            cause = .init(reason: "FieldValueInvalid", field: "spec.ports[].nodePort",
                          message: "Invalid value: \(port): provided port is not in the valid range")
        case .nodePortAllocated(let port):
            cause = .init(reason: "FieldValueInvalid", field: "spec.ports[].nodePort",
                          message: "Invalid value: \(port): provided port is already allocated")
        case .nodePortRangeFull:
            cause = .init(reason: "FieldValueInvalid", field: "spec.ports[].nodePort", message: "Internal error: range is full")
        }
        return .invalid(kind: "Service", group: "", name: service.metadata.name ?? "", causes: [cause])
    }

    // MARK: Bootstrap

    /// The `default/kubernetes` service at the first service address and its endpoints naming
    /// the API server (upstream's "master" endpoints reconciler), created or corrected.
    public func ensureKubernetesService(advertiseAddress: String, port: Int32) async throws {
        guard let services = catalog.resource(group: "", version: "v1", resource: "services") else { return }
        let key = Self.key(services, namespace: "default", name: "kubernetes")
        if try await store.get(key) == nil {
            var service = CoreV1.Service(apiVersion: "v1", kind: "Service", metadata: MetaV1.ObjectMeta(
                labels: ["component": "apiserver", "provider": "kubernetes"], name: "kubernetes"))
            service.spec.clusterIP = serviceNetwork.firstAddress
            service.spec.ports = [CoreV1.ServicePort(name: "https", port: 443, protocol: "TCP", targetPort: .int(port))]
            try await createInternally(service, resource: services, path: "/api/v1/namespaces/default/services")
        }
        let subset = CoreV1.EndpointSubset(
            addresses: [CoreV1.EndpointAddress(ip: advertiseAddress)],
            ports: [CoreV1.EndpointPort(name: "https", port: port, protocol: "TCP")])
        if let endpoints = catalog.resource(group: "", version: "v1", resource: "endpoints") {
            let object = CoreV1.Endpoints(apiVersion: "v1", kind: "Endpoints", metadata: MetaV1.ObjectMeta(
                labels: ["endpointslice.kubernetes.io/skip-mirror": "true"], name: "kubernetes", namespace: "default"),
                subsets: [subset])
            try await upsertInternally(object, resource: endpoints, namespace: "default", name: "kubernetes") { current in
                var current = current as? CoreV1.Endpoints ?? object
                current.subsets = [subset]
                return current
            }
        }
        if let slices = catalog.resource(group: "discovery.k8s.io", version: "v1", resource: "endpointslices") {
            let endpoint = DiscoveryV1.Endpoint(addresses: [advertiseAddress], conditions: DiscoveryV1.EndpointConditions(ready: true))
            let slicePort = DiscoveryV1.EndpointPort(name: "https", port: port, protocol: "TCP")
            let object = DiscoveryV1.EndpointSlice(
                addressType: "IPv4", apiVersion: "discovery.k8s.io/v1", endpoints: [endpoint], kind: "EndpointSlice",
                metadata: MetaV1.ObjectMeta(labels: ["kubernetes.io/service-name": "kubernetes",
                                                     "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io"],
                                            name: "kubernetes", namespace: "default"),
                ports: [slicePort])
            try await upsertInternally(object, resource: slices, namespace: "default", name: "kubernetes") { current in
                var current = current as? DiscoveryV1.EndpointSlice ?? object
                current.endpoints = [endpoint]
                current.ports = [slicePort]
                return current
            }
        }
    }

    /// Creates `object` through the normal create path as the API server itself.
    func createInternally(_ object: some KubeObject, resource: KubeResource, path: String) async throws {
        let info = RequestInfo(method: "POST", path: path)
        let request = APIRequest(info: info, contentType: "application/json", body: try Self.encoder.encode(object),
                                 user: UserInfo(name: "system:apiserver"))
        do {
            _ = try await create(request, resource: resource)
        } catch .alreadyExists {
            return
        }
    }

    /// Creates the object, or rewrites the stored one through `change` when it differs.
    func upsertInternally(_ object: some KubeObject, resource: KubeResource, namespace: String, name: String,
                          change: (any KubeObject) -> any KubeObject) async throws {
        let key = Self.key(resource, namespace: namespace, name: name)
        guard let kv = try await store.get(key) else {
            let path = "/\(resource.group.isEmpty ? "api" : "apis/\(resource.group)")/\(resource.version)/namespaces/\(namespace)/\(resource.resource)"
            try await createInternally(object, resource: resource, path: path)
            return
        }
        let current = try decodeStored(kv, as: resource)
        var updated = change(current)
        updated.metadata.resourceVersion = nil
        let bytes = try Self.encodeForStorage(updated)
        if bytes != kv.value { _ = try await store.update(key, bytes, expectedModRevision: kv.modRevision) }
    }

    /// Reconciles the allocation records with the services after a crash: records without a
    /// service are dropped, services whose addresses or ports have no record get one.
    public func repairServiceAllocations() async throws {
        guard let services = catalog.resource(group: "", version: "v1", resource: "services") else { return }
        let allocator = serviceAllocator
        let listed = try await store.range(RangeRequest(.prefix(Self.resourcePrefix(services))))
        var ips: [String: String] = [:]
        var ports: [String: String] = [:]
        for kv in listed.kvs {
            guard let service = try? decodeStored(kv, as: services) as? CoreV1.Service else { continue }
            let owner = "\(service.metadata.namespace ?? "")/\(service.metadata.name ?? "")"
            if let ip = service.spec.clusterIP, !ip.isEmpty, ip != "None" { ips[ip] = owner }
            for port in service.spec.ports ?? [] where (port.nodePort ?? 0) != 0 { ports[String(port.nodePort!)] = owner }
        }
        let recordedIPs = try await store.range(RangeRequest(.prefix(ServiceAllocator.ipAddressPrefix), keysOnly: true))
        for kv in recordedIPs.kvs {
            let ip = String(kv.key.dropFirst(ServiceAllocator.ipAddressPrefix.count))
            if ips.removeValue(forKey: ip) == nil { _ = try await store.delete(.key(kv.key)) }
        }
        for (ip, owner) in ips {
            let parts = owner.split(separator: "/", maxSplits: 1).map(String.init)
            _ = try? await allocator.allocateIP(ip, namespace: parts.first ?? "", name: parts.last ?? "")
        }
        let recordedPorts = try await store.range(RangeRequest(.prefix(ServiceAllocator.nodePortPrefix), keysOnly: true))
        for kv in recordedPorts.kvs {
            let port = String(kv.key.dropFirst(ServiceAllocator.nodePortPrefix.count))
            if ports.removeValue(forKey: port) == nil { _ = try await store.delete(.key(kv.key)) }
        }
        for (port, owner) in ports {
            let parts = owner.split(separator: "/", maxSplits: 1).map(String.init)
            _ = try? await allocator.allocateNodePort(Int32(port), namespace: parts.first ?? "", name: parts.last ?? "")
        }
    }
}

extension ResourceRegistry {
    /// Events (core/v1 and events.k8s.io/v1) expire an hour after their last write.
    static func expires(_ resource: KubeResource) -> Bool {
        resource.resource == "events" && (resource.group.isEmpty || resource.group == "events.k8s.io")
    }

    /// The lease to write `resource`'s objects with (0: none).
    func writeLease(for resource: KubeResource) async throws -> LeaseID {
        guard Self.expires(resource) else { return 0 }
        return try await eventLeases.lease(in: store)
    }
}
