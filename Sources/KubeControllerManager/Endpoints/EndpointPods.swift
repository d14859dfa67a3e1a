import KubeModel

/// What the Endpoints and EndpointSlice controllers ask of a pod (upstream's
/// `ShouldPodBeInEndpoints`, `IsPodReady`, `FindPort`, `ShouldSetHostname`).
public enum EndpointPods {
    /// Whether the pod has Ready=True.
    public static func isReady(_ pod: CoreV1.Pod) -> Bool {
        pod.status.conditions?.first { $0.type == "Ready" }?.status == "True"
    }

    /// Whether the pod belongs in a service's endpoints at all: it has an IP, it is not
    /// terminating (unless `includeTerminating`), and it is not finished for good.
    public static func shouldBeInEndpoints(_ pod: CoreV1.Pod, includeTerminating: Bool) -> Bool {
        if (pod.status.podIP ?? "").isEmpty && (pod.status.podIPs ?? []).isEmpty { return false }
        if !includeTerminating && pod.metadata.deletionTimestamp != nil { return false }
        let phase = pod.status.phase ?? ""
        switch pod.spec.restartPolicy ?? "Always" {
        case "Never": return phase != "Failed" && phase != "Succeeded"
        case "OnFailure": return phase != "Succeeded"
        default: return true
        }
    }

    /// The pod's IPv4 address (the first IPv4 of `podIPs`, else `podIP`).
    public static func ipv4Address(_ pod: CoreV1.Pod) -> String? {
        let candidates = (pod.status.podIPs ?? []).map(\.ip) + [pod.status.podIP ?? ""]
        return candidates.first { !$0.isEmpty && !$0.contains(":") }
    }

    /// The container port a service port reaches on this pod: a numeric target port as is, a
    /// named one looked up among the containers' ports with the same protocol (restartable
    /// init containers too); nil when the pod has no such port.
    public static func findPort(_ pod: CoreV1.Pod, _ servicePort: CoreV1.ServicePort) -> Int32? {
        let target = servicePort.targetPort ?? .int(servicePort.port)
        switch target {
        case .int(let number):
            return number
        case .string(let name):
            let serviceProtocol = servicePort.protocol ?? "TCP"
            let sidecars = (pod.spec.initContainers ?? []).filter { $0.restartPolicy == "Always" }
            for container in pod.spec.containers + sidecars {
                for port in container.ports ?? [] where port.name == name && (port.protocol ?? "TCP") == serviceProtocol {
                    return port.containerPort
                }
            }
            return nil
        }
    }

    /// Whether the pod's hostname goes into the service's endpoints (its subdomain is the service).
    public static func shouldSetHostname(_ pod: CoreV1.Pod, _ service: CoreV1.Service) -> Bool {
        !(pod.spec.hostname ?? "").isEmpty && pod.spec.subdomain == service.metadata.name
            && pod.metadata.namespace == service.metadata.namespace
    }

    /// A reference to the pod as endpoints carry it.
    public static func targetRef(_ pod: CoreV1.Pod) -> CoreV1.ObjectReference {
        CoreV1.ObjectReference(kind: "Pod", name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid)
    }

    /// Whether a service is headless (`clusterIP: None`, or no cluster IP at all).
    public static func isHeadless(_ service: CoreV1.Service) -> Bool {
        let clusterIP = service.spec.clusterIP ?? ""
        return clusterIP.isEmpty || clusterIP == "None"
    }

    /// The services in `namespace` whose selector matches `labels`.
    public static func servicesSelecting(_ labels: [String: String], in services: [CoreV1.Service]) -> [CoreV1.Service] {
        services.filter { service in
            guard let selector = service.spec.selector else { return false }
            return Labels.Selector(matching: selector).matches(labels)
        }
    }
}
