import KubeModel

/// Services: upstream's defaults (ClusterIP, sessionAffinity None, TCP, targetPort = port,
/// Cluster traffic policies) and validation. Cluster IPs and node ports are assigned by
/// ``ServiceAllocator`` after validation; `spec.clusterIP` is immutable once set.
struct ServiceStrategy: KindStrategy {
    static let types = ["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"]
    static let protocols = ["SCTP", "TCP", "UDP"]

    func applyDefaults(_ service: inout CoreV1.Service) {
        if (service.spec.type ?? "").isEmpty { service.spec.type = "ClusterIP" }
        if (service.spec.sessionAffinity ?? "").isEmpty { service.spec.sessionAffinity = "None" }
        let type = service.spec.type ?? ""
        if var ports = service.spec.ports {
            for i in ports.indices {
                if (ports[i].protocol ?? "").isEmpty { ports[i].protocol = "TCP" }
                if ports[i].targetPort == nil || ports[i].targetPort == .int(0) || ports[i].targetPort == .string("") {
                    ports[i].targetPort = .int(ports[i].port)
                }
            }
            service.spec.ports = ports
        }
        if type == "NodePort" || type == "LoadBalancer" {
            if (service.spec.externalTrafficPolicy ?? "").isEmpty { service.spec.externalTrafficPolicy = "Cluster" }
        }
        if type == "LoadBalancer" && service.spec.allocateLoadBalancerNodePorts == nil {
            service.spec.allocateLoadBalancerNodePorts = true
        }
        if type != "ExternalName" && (service.spec.internalTrafficPolicy ?? "").isEmpty {
            service.spec.internalTrafficPolicy = "Cluster"
        }
        if let ip = service.spec.clusterIP, !ip.isEmpty, (service.spec.clusterIPs ?? []).isEmpty {
            service.spec.clusterIPs = [ip]
        }
    }

    func prepareForCreate(_ service: inout CoreV1.Service) { service.status = CoreV1.ServiceStatus() }

    func validate(_ service: CoreV1.Service) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(service.metadata)
        let type = service.spec.type ?? "ClusterIP"
        if !Self.types.contains(type) { causes.append(.notSupported(spec.child("type"), type, Self.types)) }
        let ports = service.spec.ports ?? []
        let headless = service.spec.clusterIP == "None"
        if type == "ExternalName" {
            let name = service.spec.externalName ?? ""
            if name.isEmpty {
                causes.append(.required(spec.child("externalName")))
            } else {
                for message in NameValidation.isDNS1123Subdomain(name.hasSuffix(".") ? String(name.dropLast()) : name) {
                    causes.append(.invalid(spec.child("externalName"), name, message))
                }
            }
        } else if ports.isEmpty && !headless {
            causes.append(.required(spec.child("ports")))
        }
        var names = Set<String>()
        var seen = Set<String>()
        for (i, port) in ports.enumerated() {
            let portPath = spec.child("ports").index(i)
            let name = port.name ?? ""
            if ports.count > 1 && name.isEmpty { causes.append(.required(portPath.child("name"))) }
            if !name.isEmpty {
                for message in NameValidation.isDNS1123Label(name) { causes.append(.invalid(portPath.child("name"), name, message)) }
                if !names.insert(name).inserted { causes.append(.duplicate(portPath.child("name"), name)) }
            }
            for message in NameValidation.isValidPortNum(Int(port.port)) {
                causes.append(.invalid(portPath.child("port"), Int64(port.port), message))
            }
            let proto = port.protocol ?? "TCP"
            if !Self.protocols.contains(proto) { causes.append(.notSupported(portPath.child("protocol"), proto, Self.protocols)) }
            if !seen.insert("\(port.port)/\(proto)").inserted {
                causes.append(.duplicate(portPath, "core.ServicePort{Port:\(port.port), Protocol:\"\(proto)\"}"))
            }
            switch port.targetPort {
            case .int(let target)?:
                for message in NameValidation.isValidPortNum(Int(target)) {
                    causes.append(.invalid(portPath.child("targetPort"), Int64(target), message))
                }
            case .string(let target)?:
                for message in NameValidation.isValidPortName(target) { causes.append(.invalid(portPath.child("targetPort"), target, message)) }
            case nil: break
            }
            if let nodePort = port.nodePort, nodePort != 0 {
                if type != "NodePort" && type != "LoadBalancer" {
                    causes.append(.forbidden(portPath.child("nodePort"), "may not be used when `type` is '\(type)'"))
                } else if !NameValidation.isValidPortNum(Int(nodePort)).isEmpty {
                    causes.append(.invalid(portPath.child("nodePort"), Int64(nodePort), NameValidation.inclusiveRangeError(1, 65535)))
                }
            }
        }
        if let ip = service.spec.clusterIP, !ip.isEmpty, ip != "None", IPAddress(ip) == nil {
            causes.append(.invalid(spec.child("clusterIPs").index(0), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"))
        }
        if headless && type != "ClusterIP" {
            causes.append(.invalid(spec.child("clusterIPs").index(0), "None", "may be set only when `type` is 'ClusterIP'"))
        }
        causes += ObjectMetaValidation.validateLabels(service.spec.selector, path: spec.child("selector"))
        if let affinity = service.spec.sessionAffinity, !["ClientIP", "None"].contains(affinity) {
            causes.append(.notSupported(spec.child("sessionAffinity"), affinity, ["ClientIP", "None"]))
        }
        for (field, value) in [("externalTrafficPolicy", service.spec.externalTrafficPolicy),
                               ("internalTrafficPolicy", service.spec.internalTrafficPolicy)] {
            if let value, !["Cluster", "Local"].contains(value) {
                causes.append(.notSupported(spec.child(field), value, ["Cluster", "Local"]))
            }
        }
        return causes
    }

    func prepareForUpdate(_ service: inout CoreV1.Service, old: CoreV1.Service) {
        service.status = old.status
        // An update that leaves the allocated addresses out keeps them (as kubectl replace does).
        if (service.spec.clusterIP ?? "").isEmpty && service.spec.type == old.spec.type {
            service.spec.clusterIP = old.spec.clusterIP
            service.spec.clusterIPs = old.spec.clusterIPs
        }
        if (service.spec.ipFamilies ?? []).isEmpty { service.spec.ipFamilies = old.spec.ipFamilies }
        if (service.spec.ipFamilyPolicy ?? "").isEmpty { service.spec.ipFamilyPolicy = old.spec.ipFamilyPolicy }
        if var ports = service.spec.ports {
            let oldPorts = old.spec.ports ?? []
            for i in ports.indices where (ports[i].nodePort ?? 0) == 0 {
                ports[i].nodePort = oldPorts.first { $0.port == ports[i].port && $0.protocol == ports[i].protocol }?.nodePort
            }
            service.spec.ports = ports
        }
    }

    func validateUpdate(_ service: CoreV1.Service, old: CoreV1.Service) -> [APIError.FieldCause] {
        var causes = validate(service)
        let oldIP = old.spec.clusterIP ?? ""
        let newIP = service.spec.clusterIP ?? ""
        let typeChangeAllowsIPChange = old.spec.type == "ExternalName" || service.spec.type == "ExternalName"
        if !oldIP.isEmpty && newIP != oldIP && !typeChangeAllowsIPChange {
            causes.append(.immutable(ValidationPath("spec").child("clusterIPs").index(0), "[]string{\"\(newIP)\"}"))
        }
        return causes
    }
}
