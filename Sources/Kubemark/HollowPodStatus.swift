import KubeModel

/// The status a kubelet posts for a pod whose containers all started (1.36's shape): phase
/// Running; PodReadyToStartContainers, Initialized, Ready, ContainersReady and PodScheduled True;
/// host and pod IPs; init containers Completed (sidecars running) and every container running,
/// started and ready, with `hollow://<pod uid>/<name>` container IDs.
public enum HollowPodStatus {
    /// Whether the pod still needs its Running status: bound, not terminating, not finished,
    /// and not Running yet.
    public static func needsStart(_ pod: CoreV1.Pod) -> Bool {
        guard pod.metadata.deletionTimestamp == nil else { return false }
        switch pod.status.phase {
        case "Running", "Succeeded", "Failed": return false
        default: return true
        }
    }

    /// `pod`'s status once running on a node with address `hostIP`, the pod at `podIP`.
    public static func running(_ pod: CoreV1.Pod, hostIP: String, podIP: String,
                               now: MetaV1.Time = .now()) -> CoreV1.PodStatus {
        var status = pod.status
        let uid = pod.metadata.uid ?? ""
        let generation = pod.metadata.generation
        let started = status.startTime ?? now
        status.phase = "Running"
        status.reason = nil
        status.message = nil
        status.observedGeneration = generation
        status.startTime = started
        status.hostIP = hostIP
        status.hostIPs = [CoreV1.HostIP(ip: hostIP)]
        status.podIP = podIP
        status.podIPs = [CoreV1.PodIP(ip: podIP)]
        status.conditions = ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"].map { type in
            let before = pod.status.conditions?.first { $0.type == type }
            var condition = CoreV1.PodCondition()
            condition.type = type
            condition.status = "True"
            condition.observedGeneration = generation
            condition.lastTransitionTime = before?.status == "True" ? (before?.lastTransitionTime ?? now) : now
            return condition
        }
        status.initContainerStatuses = pod.spec.initContainers.flatMap { containers in
            containers.isEmpty ? nil : containers.map { container in
                if container.restartPolicy == "Always" {
                    return containerStatus(container, podUID: uid, running: started)
                }
                var terminated = CoreV1.ContainerStateTerminated()
                terminated.exitCode = 0
                terminated.reason = "Completed"
                terminated.startedAt = started
                terminated.finishedAt = started
                terminated.containerID = containerID(podUID: uid, name: container.name)
                var state = CoreV1.ContainerState()
                state.terminated = terminated
                var containerStatus = baseStatus(container, podUID: uid)
                containerStatus.state = state
                containerStatus.ready = true
                containerStatus.started = false
                return containerStatus
            }
        }
        status.containerStatuses = pod.spec.containers.map { containerStatus($0, podUID: uid, running: started) }
        return status
    }

    /// `hollow://<pod uid>/<container name>`.
    public static func containerID(podUID: String, name: String) -> String { "hollow://\(podUID)/\(name)" }

    /// A digest-pinned reference for `image` (`repository@sha256:…`), stable per image.
    public static func imageID(_ image: String) -> String {
        var repository = Substring(image)
        if let at = repository.firstIndex(of: "@") {
            repository = repository[..<at]
        } else if let colon = repository.lastIndex(of: ":"), !repository[colon...].contains("/") {
            repository = repository[..<colon]
        }
        var digest = ""
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for round in 0..<4 {
            for byte in image.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            hash = (hash ^ UInt64(round)) &* 0x100_0000_01b3
            let hex = String(hash, radix: 16)
            digest += String(repeating: "0", count: 16 - hex.count) + hex
        }
        return "\(repository)@sha256:\(digest)"
    }

    private static func baseStatus(_ container: CoreV1.Container, podUID: String) -> CoreV1.ContainerStatus {
        var status = CoreV1.ContainerStatus()
        status.name = container.name
        status.image = container.image ?? ""
        status.imageID = imageID(container.image ?? "")
        status.containerID = containerID(podUID: podUID, name: container.name)
        status.restartCount = 0
        return status
    }

    private static func containerStatus(_ container: CoreV1.Container, podUID: String,
                                        running since: MetaV1.Time) -> CoreV1.ContainerStatus {
        var running = CoreV1.ContainerStateRunning()
        running.startedAt = since
        var state = CoreV1.ContainerState()
        state.running = running
        var status = baseStatus(container, podUID: podUID)
        status.state = state
        status.ready = true
        status.started = true
        return status
    }
}
