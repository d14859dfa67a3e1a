import KubeModel

/// Upstream's defaulting of pod specs (`SetDefaults_PodSpec`, `_Container`, `_Probe`, `_Volume`,
/// …), shared by pods and every pod template (deployments, jobs, …).
enum PodSpecDefaults {
    /// Files projected from secrets, config maps and the downward API: 0644.
    static let defaultFileMode: Int32 = 0o644

    static func apply(_ spec: inout CoreV1.PodSpec) {
        if (spec.dnsPolicy ?? "").isEmpty { spec.dnsPolicy = "ClusterFirst" }
        if (spec.restartPolicy ?? "").isEmpty { spec.restartPolicy = "Always" }
        if spec.securityContext == nil { spec.securityContext = CoreV1.PodSecurityContext() }
        if spec.terminationGracePeriodSeconds == nil { spec.terminationGracePeriodSeconds = 30 }
        if (spec.schedulerName ?? "").isEmpty { spec.schedulerName = "default-scheduler" }
        let hostNetwork = spec.hostNetwork == true
        for i in spec.containers.indices { applyContainer(&spec.containers[i], hostNetwork: hostNetwork) }
        if var inits = spec.initContainers {
            for i in inits.indices { applyContainer(&inits[i], hostNetwork: hostNetwork) }
            spec.initContainers = inits
        }
        if var volumes = spec.volumes {
            for i in volumes.indices { applyVolume(&volumes[i]) }
            spec.volumes = volumes
        }
    }

    /// Pod-level extras of `SetDefaults_Pod`: requests default to limits, service links on.
    static func applyPodOnly(_ spec: inout CoreV1.PodSpec) {
        if spec.enableServiceLinks == nil { spec.enableServiceLinks = true }
        for i in spec.containers.indices { defaultRequestsFromLimits(&spec.containers[i]) }
        if var inits = spec.initContainers {
            for i in inits.indices { defaultRequestsFromLimits(&inits[i]) }
            spec.initContainers = inits
        }
    }

    static func applyTemplate(_ template: inout CoreV1.PodTemplateSpec) {
        var spec = template.spec ?? CoreV1.PodSpec()
        apply(&spec)
        template.spec = spec
    }

    static func applyContainer(_ container: inout CoreV1.Container, hostNetwork: Bool) {
        if (container.imagePullPolicy ?? "").isEmpty {
            container.imagePullPolicy = defaultPullPolicy(image: container.image ?? "")
        }
        if (container.terminationMessagePath ?? "").isEmpty { container.terminationMessagePath = "/dev/termination-log" }
        if (container.terminationMessagePolicy ?? "").isEmpty { container.terminationMessagePolicy = "File" }
        if container.resources == nil { container.resources = CoreV1.ResourceRequirements() }
        if var ports = container.ports {
            for i in ports.indices {
                if (ports[i].protocol ?? "").isEmpty { ports[i].protocol = "TCP" }
                if hostNetwork && (ports[i].hostPort ?? 0) == 0 { ports[i].hostPort = ports[i].containerPort }
            }
            container.ports = ports
        }
        if var env = container.env {
            for i in env.indices where env[i].valueFrom?.fieldRef != nil && (env[i].valueFrom?.fieldRef?.apiVersion ?? "").isEmpty {
                env[i].valueFrom?.fieldRef?.apiVersion = "v1"
            }
            container.env = env
        }
        applyProbe(&container.livenessProbe)
        applyProbe(&container.readinessProbe)
        applyProbe(&container.startupProbe)
    }

    /// `Always` for `:latest` or untagged images, else `IfNotPresent` (digests count as tags).
    static func defaultPullPolicy(image: String) -> String {
        if image.contains("@") { return "IfNotPresent" }
        let lastSegment = image.split(separator: "/").last.map(String.init) ?? image
        guard let colon = lastSegment.lastIndex(of: ":") else { return "Always" }
        return lastSegment[lastSegment.index(after: colon)...] == "latest" ? "Always" : "IfNotPresent"
    }

    static func applyProbe(_ probe: inout CoreV1.Probe?) {
        guard var p = probe else { return }
        if p.timeoutSeconds == nil { p.timeoutSeconds = 1 }
        if p.periodSeconds == nil { p.periodSeconds = 10 }
        if p.successThreshold == nil { p.successThreshold = 1 }
        if p.failureThreshold == nil { p.failureThreshold = 3 }
        if var get = p.httpGet {
            if (get.path ?? "").isEmpty { get.path = "/" }
            if (get.scheme ?? "").isEmpty { get.scheme = "HTTP" }
            p.httpGet = get
        }
        probe = p
    }

    static func applyVolume(_ volume: inout CoreV1.Volume) {
        if VolumeSources.count(volume) == 0 { volume.emptyDir = CoreV1.EmptyDirVolumeSource() }
        if volume.secret != nil, volume.secret?.defaultMode == nil { volume.secret?.defaultMode = defaultFileMode }
        if volume.configMap != nil, volume.configMap?.defaultMode == nil { volume.configMap?.defaultMode = defaultFileMode }
        if volume.downwardAPI != nil, volume.downwardAPI?.defaultMode == nil { volume.downwardAPI?.defaultMode = defaultFileMode }
        if volume.projected != nil, volume.projected?.defaultMode == nil { volume.projected?.defaultMode = defaultFileMode }
        if volume.hostPath != nil, volume.hostPath?.type == nil { volume.hostPath?.type = "" }
    }

    static func defaultRequestsFromLimits(_ container: inout CoreV1.Container) {
        guard let limits = container.resources?.limits, !limits.isEmpty else { return }
        var requests = container.resources?.requests ?? [:]
        for (name, quantity) in limits where requests[name] == nil { requests[name] = quantity }
        container.resources?.requests = requests
    }
}

/// The volume-source fields of a `Volume` (all but `name`).
enum VolumeSources {
    /// The names of the sources a volume sets.
    static func names(_ volume: CoreV1.Volume) -> [String] {
        Mirror(reflecting: volume).children.compactMap { child in
            guard let label = child.label, label != "name" else { return nil }
            if case Optional<Any>.none = child.value as Any? ?? nil { return nil }
            let inner = Mirror(reflecting: child.value)
            if inner.displayStyle == .optional && inner.children.isEmpty { return nil }
            return label
        }
    }

    static func count(_ volume: CoreV1.Volume) -> Int { names(volume).count }
}
