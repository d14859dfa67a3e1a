import KubeModel

/// Upstream's `ValidatePodSpec` for the mistakes people make: containers, images, names, ports,
/// policies, volumes and mounts, resources. Shared by pods and pod templates.
enum PodSpecValidation {
    static let restartPolicies = ["Always", "OnFailure", "Never"]
    static let dnsPolicies = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
    static let pullPolicies = ["Always", "IfNotPresent", "Never"]
    static let protocols = ["SCTP", "TCP", "UDP"]
    static let terminationMessagePolicies = ["File", "FallbackToLogsOnError"]

    static func validate(_ spec: CoreV1.PodSpec, path: ValidationPath) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        let volumeNames = validateVolumes(spec.volumes ?? [], path: path.child("volumes"), causes: &causes)
        if spec.containers.isEmpty { causes.append(.required(path.child("containers"))) }
        var names = Set<String>()
        for (i, container) in (spec.initContainers ?? []).enumerated() {
            causes += validateContainer(container, path: path.child("initContainers").index(i), names: &names, volumes: volumeNames)
        }
        for (i, container) in spec.containers.enumerated() {
            causes += validateContainer(container, path: path.child("containers").index(i), names: &names, volumes: volumeNames)
        }
        if let policy = spec.restartPolicy, !restartPolicies.contains(policy) {
            causes.append(.notSupported(path.child("restartPolicy"), policy, restartPolicies))
        }
        if let policy = spec.dnsPolicy, !dnsPolicies.contains(policy) {
            causes.append(.notSupported(path.child("dnsPolicy"), policy, dnsPolicies))
        }
        if let seconds = spec.terminationGracePeriodSeconds, seconds < 0 {
            causes.append(.invalid(path.child("terminationGracePeriodSeconds"), seconds, "must be greater than or equal to 0"))
        }
        if let seconds = spec.activeDeadlineSeconds, seconds <= 0 {
            causes.append(.invalid(path.child("activeDeadlineSeconds"), seconds, "must be between 1 and 2147483647, inclusive"))
        }
        causes += ObjectMetaValidation.validateLabels(spec.nodeSelector, path: path.child("nodeSelector"))
        if let name = spec.serviceAccountName, !name.isEmpty {
            for message in NameValidation.nameIsDNSSubdomain(name, prefix: false) {
                causes.append(.invalid(path.child("serviceAccountName"), name, message))
            }
        }
        if let hostname = spec.hostname, !hostname.isEmpty {
            for message in NameValidation.isDNS1123Label(hostname) { causes.append(.invalid(path.child("hostname"), hostname, message)) }
        }
        return causes
    }

    /// Volume names (DNS labels, unique) and exactly one source each; returns the names.
    static func validateVolumes(_ volumes: [CoreV1.Volume], path: ValidationPath, causes: inout [APIError.FieldCause]) -> Set<String> {
        var names = Set<String>()
        for (i, volume) in volumes.enumerated() {
            let volumePath = path.index(i)
            if volume.name.isEmpty {
                causes.append(.required(volumePath.child("name")))
            } else {
                for message in NameValidation.isDNS1123Label(volume.name) { causes.append(.invalid(volumePath.child("name"), volume.name, message)) }
                if !names.insert(volume.name).inserted { causes.append(.duplicate(volumePath.child("name"), volume.name)) }
            }
            let sources = VolumeSources.count(volume)
            if sources == 0 {
                causes.append(.required(volumePath, "must specify a volume type"))
            } else if sources > 1 {
                causes.append(.forbidden(volumePath, "may not specify more than 1 volume type"))
            }
        }
        return names
    }

    static func validateContainer(_ container: CoreV1.Container, path: ValidationPath, names: inout Set<String>,
                                  volumes: Set<String>) -> [APIError.FieldCause] {
        var causes: [APIError.FieldCause] = []
        if container.name.isEmpty {
            causes.append(.required(path.child("name")))
        } else {
            for message in NameValidation.isDNS1123Label(container.name) { causes.append(.invalid(path.child("name"), container.name, message)) }
            if !names.insert(container.name).inserted { causes.append(.duplicate(path.child("name"), container.name)) }
        }
        let image = container.image ?? ""
        // Upstream's strings.TrimSpace checks, without trimming (Foundation's is slow, and
        // every pod write validates every container).
        if image.allSatisfy(\.isWhitespace) {
            causes.append(.required(path.child("image")))
        } else if image.first?.isWhitespace == true || image.last?.isWhitespace == true {
            causes.append(.invalid(path.child("image"), image, "must not have leading or trailing whitespace"))
        }
        if let policy = container.imagePullPolicy, !pullPolicies.contains(policy) {
            causes.append(.notSupported(path.child("imagePullPolicy"), policy, pullPolicies))
        }
        if let policy = container.terminationMessagePolicy, !terminationMessagePolicies.contains(policy) {
            causes.append(.notSupported(path.child("terminationMessagePolicy"), policy, terminationMessagePolicies))
        }
        var portNames = Set<String>()
        for (i, port) in (container.ports ?? []).enumerated() {
            let portPath = path.child("ports").index(i)
            if let name = port.name, !name.isEmpty {
                for message in NameValidation.isValidPortName(name) { causes.append(.invalid(portPath.child("name"), name, message)) }
                if !portNames.insert(name).inserted { causes.append(.duplicate(portPath.child("name"), name)) }
            }
            if port.containerPort < 1 || port.containerPort > 65535 {
                causes.append(.invalid(portPath.child("containerPort"), Int64(port.containerPort), NameValidation.inclusiveRangeError(1, 65535)))
            }
            if let hostPort = port.hostPort, hostPort != 0, hostPort < 1 || hostPort > 65535 {
                causes.append(.invalid(portPath.child("hostPort"), Int64(hostPort), NameValidation.inclusiveRangeError(1, 65535)))
            }
            if let proto = port.protocol, !protocols.contains(proto) {
                causes.append(.notSupported(portPath.child("protocol"), proto, protocols))
            }
        }
        for (i, variable) in (container.env ?? []).enumerated() {
            let envPath = path.child("env").index(i)
            if variable.name.isEmpty {
                causes.append(.required(envPath.child("name")))
            } else if variable.name.contains("=") || variable.name.unicodeScalars.contains(where: { $0.value < 32 || $0.value > 126 }) {
                causes.append(.invalid(envPath.child("name"), variable.name,
                                       "a valid environment variable name must consist only of printable ASCII characters other than '='"))
            }
        }
        for (i, mount) in (container.volumeMounts ?? []).enumerated() {
            let mountPath = path.child("volumeMounts").index(i)
            if mount.name.isEmpty {
                causes.append(.required(mountPath.child("name")))
            } else if !volumes.contains(mount.name) {
                causes.append(APIError.FieldCause(reason: "FieldValueNotFound", field: mountPath.child("name").description,
                                                  message: "Not found: \"\(mount.name)\""))
            }
            if mount.mountPath.isEmpty { causes.append(.required(mountPath.child("mountPath"))) }
        }
        causes += validateResources(container.resources, path: path.child("resources"))
        return causes
    }

    /// Requests may not exceed limits; quantities may not be negative.
    static func validateResources(_ resources: CoreV1.ResourceRequirements?, path: ValidationPath) -> [APIError.FieldCause] {
        guard let resources else { return [] }
        var causes: [APIError.FieldCause] = []
        let limits = resources.limits ?? [:]
        for (name, quantity) in (resources.requests ?? [:]).sorted(by: { $0.key < $1.key }) {
            if quantity.sign < 0 {
                causes.append(.invalid(path.child("requests").key(name), quantity.description, "must be greater than or equal to 0"))
            }
            if let limit = limits[name], quantity > limit {
                causes.append(.invalid(path.child("requests").key(name), quantity.description,
                                       "must be less than or equal to \(name) limit of \(limit.description)"))
            }
        }
        for (name, quantity) in limits.sorted(by: { $0.key < $1.key }) where quantity.sign < 0 {
            causes.append(.invalid(path.child("limits").key(name), quantity.description, "must be greater than or equal to 0"))
        }
        return causes
    }
}
