import KubeModel

/// The EndpointSlice writes that bring a service's slices in line with its endpoints
/// (upstream's endpointslice reconciler, one address type): endpoints are grouped by port set;
/// a slice keeps the endpoints that are still wanted (updated in place when they changed);
/// new endpoints fill slices already being updated, then slices with room, then new slices of
/// at most `maxEndpointsPerSlice`; slices left empty or for port sets no longer in use go. A
/// service without endpoints keeps one empty placeholder slice.
public struct EndpointSlicePlanner: Sendable {
    public struct Plan: Sendable, Equatable {
        public var creates: [DiscoveryV1.EndpointSlice] = []
        public var updates: [DiscoveryV1.EndpointSlice] = []
        public var deletes: [DiscoveryV1.EndpointSlice] = []
        public var isEmpty: Bool { creates.isEmpty && updates.isEmpty && deletes.isEmpty }
    }

    /// The endpoints of one port set.
    public struct Group: Sendable, Equatable {
        public var ports: [DiscoveryV1.EndpointPort]
        public var endpoints: [DiscoveryV1.Endpoint]
        public init(ports: [DiscoveryV1.EndpointPort], endpoints: [DiscoveryV1.Endpoint]) {
            self.ports = ports
            self.endpoints = endpoints
        }
    }

    public static let defaultMaxEndpointsPerSlice = 100
    public var maxEndpointsPerSlice = defaultMaxEndpointsPerSlice
    /// The labels, owner and generateName every slice of the service carries.
    public var template: DiscoveryV1.EndpointSlice

    public init(template: DiscoveryV1.EndpointSlice, maxEndpointsPerSlice: Int = defaultMaxEndpointsPerSlice) {
        self.template = template
        self.maxEndpointsPerSlice = maxEndpointsPerSlice
    }

    public func plan(desired: [Group], existing: [DiscoveryV1.EndpointSlice]) -> Plan {
        var plan = Plan()
        var remainingSlices = existing
        let wanted = desired.filter { !$0.endpoints.isEmpty }
        for group in wanted {
            let ports = Self.sortedPorts(group.ports)
            let mine = remainingSlices.filter { Self.sortedPorts($0.ports ?? []) == ports }
            remainingSlices.removeAll { slice in mine.contains { $0.metadata.name == slice.metadata.name } }
            reconcile(ports: ports, endpoints: group.endpoints, slices: mine, into: &plan)
        }
        if wanted.isEmpty {
            // Keep (or make) one placeholder so the service visibly has no endpoints.
            if let index = remainingSlices.firstIndex(where: { ($0.endpoints ?? []).isEmpty && ($0.ports ?? []).isEmpty }) {
                let placeholder = remainingSlices.remove(at: index)
                if placeholder.metadata.labels != template.metadata.labels {
                    plan.updates.append(relabelled(placeholder))
                }
            } else {
                plan.creates.append(newSlice(ports: [], endpoints: []))
            }
        }
        plan.deletes.append(contentsOf: remainingSlices)
        reuseDeletedSlices(&plan)
        return plan
    }

    /// Rather than delete one slice and create another, the slice that would go is rewritten
    /// (upstream's `finalize`), when it is of the same address type and owned by the service.
    private func reuseDeletedSlices(_ plan: inout Plan) {
        let owner = template.metadata.ownerReferences?.first?.uid
        var index = 0
        while index < plan.deletes.count, !plan.creates.isEmpty {
            let doomed = plan.deletes[index]
            guard doomed.addressType == template.addressType,
                  doomed.metadata.ownerReferences?.contains(where: { $0.uid == owner }) == true else {
                index += 1
                continue
            }
            var slice = plan.creates.removeLast()
            slice.metadata.name = doomed.metadata.name
            slice.metadata.resourceVersion = doomed.metadata.resourceVersion
            slice.metadata.uid = doomed.metadata.uid
            slice.metadata.annotations = doomed.metadata.annotations
            plan.updates.append(slice)
            plan.deletes.remove(at: index)
        }
    }

    private func reconcile(ports: [DiscoveryV1.EndpointPort], endpoints: [DiscoveryV1.Endpoint],
                           slices: [DiscoveryV1.EndpointSlice], into plan: inout Plan) {
        var pending = endpoints
        var updating: [DiscoveryV1.EndpointSlice] = []
        var unchanged: [DiscoveryV1.EndpointSlice] = []
        for slice in slices {
            var kept: [DiscoveryV1.Endpoint] = []
            var changed = slice.metadata.labels != template.metadata.labels
            for endpoint in slice.endpoints ?? [] {
                if let index = pending.firstIndex(where: { Self.key($0) == Self.key(endpoint) }) {
                    let wanted = pending.remove(at: index)
                    if wanted != endpoint { changed = true }
                    kept.append(wanted)
                } else {
                    changed = true
                }
            }
            var updated = relabelled(slice)
            updated.endpoints = kept
            if kept.isEmpty {
                plan.deletes.append(slice)
            } else if changed {
                updating.append(updated)
            } else {
                unchanged.append(slice)
            }
        }
        // New endpoints go into slices being written anyway, then slices with room.
        for index in updating.indices where !pending.isEmpty {
            fill(&updating[index], from: &pending)
        }
        for slice in unchanged.sorted(by: { ($0.endpoints ?? []).count > ($1.endpoints ?? []).count }) {
            var slice = relabelled(slice)
            if !pending.isEmpty && (slice.endpoints ?? []).count < maxEndpointsPerSlice {
                fill(&slice, from: &pending)
                updating.append(slice)
            }
        }
        plan.updates.append(contentsOf: updating)
        while !pending.isEmpty {
            let chunk = Array(pending.prefix(maxEndpointsPerSlice))
            pending.removeFirst(chunk.count)
            plan.creates.append(newSlice(ports: ports, endpoints: chunk))
        }
    }

    private func fill(_ slice: inout DiscoveryV1.EndpointSlice, from pending: inout [DiscoveryV1.Endpoint]) {
        let room = maxEndpointsPerSlice - (slice.endpoints ?? []).count
        guard room > 0 else { return }
        let taken = pending.prefix(room)
        slice.endpoints = (slice.endpoints ?? []) + taken
        pending.removeFirst(taken.count)
    }

    private func newSlice(ports: [DiscoveryV1.EndpointPort], endpoints: [DiscoveryV1.Endpoint]) -> DiscoveryV1.EndpointSlice {
        var slice = template
        slice.ports = ports
        slice.endpoints = endpoints
        return slice
    }

    private func relabelled(_ slice: DiscoveryV1.EndpointSlice) -> DiscoveryV1.EndpointSlice {
        var slice = slice
        slice.metadata.labels = template.metadata.labels
        return slice
    }

    /// An endpoint's identity across updates: its addresses and the pod it stands for.
    static func key(_ endpoint: DiscoveryV1.Endpoint) -> String {
        endpoint.addresses.joined(separator: ",") + "|" + (endpoint.targetRef?.uid ?? endpoint.targetRef?.name ?? "")
    }

    static func sortedPorts(_ ports: [DiscoveryV1.EndpointPort]) -> [DiscoveryV1.EndpointPort] {
        ports.sorted { ($0.name ?? "", $0.port ?? 0, $0.protocol ?? "") < ($1.name ?? "", $1.port ?? 0, $1.protocol ?? "") }
    }
}
