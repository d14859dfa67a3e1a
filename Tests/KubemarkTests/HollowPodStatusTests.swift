import KubeModel
import Kubemark
import Testing

@Suite struct HollowPodStatusTests {
    static let now = MetaV1.Time(secondsSinceEpoch: 1_700_000_000)

    static func pod(phase: String? = "Pending", initContainers: [CoreV1.Container]? = nil) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = "web"
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-1"
        pod.metadata.generation = 3
        pod.spec.nodeName = "hollow-node-0"
        var app = CoreV1.Container()
        app.name = "app"
        app.image = "nginx:1.27"
        var sidecar = CoreV1.Container()
        sidecar.name = "log"
        sidecar.image = "registry.example.com:5000/tools/log@sha256:abc"
        pod.spec.containers = [app, sidecar]
        pod.spec.initContainers = initContainers
        var scheduled = CoreV1.PodCondition()
        scheduled.type = "PodScheduled"
        scheduled.status = "True"
        scheduled.lastTransitionTime = MetaV1.Time(secondsSinceEpoch: 1_600_000_000)
        pod.status = CoreV1.PodStatus(conditions: [scheduled], phase: phase, qosClass: "BestEffort")
        return pod
    }

    @Test(arguments: [
        ("Pending", false, true),
        (nil, false, true),
        ("Running", false, false),
        ("Succeeded", false, false),
        ("Failed", false, false),
        ("Pending", true, false),
    ] as [(String?, Bool, Bool)])
    func needsStart(phase: String?, terminating: Bool, expected: Bool) {
        var pod = Self.pod(phase: phase)
        if terminating { pod.metadata.deletionTimestamp = Self.now }
        #expect(HollowPodStatus.needsStart(pod) == expected)
    }

    @Test func runningStatusHasKubeletsShape() throws {
        let status = HollowPodStatus.running(Self.pod(), hostIP: "127.64.0.1", podIP: "10.128.0.2", now: Self.now)
        #expect(status.phase == "Running")
        #expect(status.qosClass == "BestEffort")
        #expect(status.hostIP == "127.64.0.1" && status.hostIPs == [CoreV1.HostIP(ip: "127.64.0.1")])
        #expect(status.podIP == "10.128.0.2" && status.podIPs == [CoreV1.PodIP(ip: "10.128.0.2")])
        #expect(status.startTime == Self.now)
        #expect(status.observedGeneration == 3)
        let conditions = try #require(status.conditions)
        #expect(conditions.map(\.type) == ["PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"])
        #expect(conditions.allSatisfy { $0.status == "True" && $0.observedGeneration == 3 })
        // The scheduler's condition keeps its transition time.
        #expect(conditions.last?.lastTransitionTime == MetaV1.Time(secondsSinceEpoch: 1_600_000_000))
        #expect(conditions.first?.lastTransitionTime == Self.now)
        #expect(status.initContainerStatuses == nil)
        let containers = try #require(status.containerStatuses)
        #expect(containers.map(\.name) == ["app", "log"])
        for container in containers {
            #expect(container.ready && container.started == true && container.restartCount == 0)
            #expect(container.state?.running?.startedAt == Self.now)
            #expect(container.containerID == "hollow://uid-1/\(container.name)")
        }
        #expect(containers[0].image == "nginx:1.27")
        #expect(containers[0].imageID.hasPrefix("nginx@sha256:") && containers[0].imageID.count == "nginx@sha256:".count + 64)
        #expect(containers[1].imageID.hasPrefix("registry.example.com:5000/tools/log@sha256:"))
    }

    @Test func initContainersCompleteAndSidecarsRun() throws {
        var setup = CoreV1.Container()
        setup.name = "setup"
        setup.image = "busybox"
        var sidecar = CoreV1.Container()
        sidecar.name = "proxy"
        sidecar.image = "envoy"
        sidecar.restartPolicy = "Always"
        let pod = Self.pod(initContainers: [setup, sidecar])
        let status = HollowPodStatus.running(pod, hostIP: "127.64.0.1", podIP: "10.128.0.2", now: Self.now)
        let inits = try #require(status.initContainerStatuses)
        #expect(inits.map(\.name) == ["setup", "proxy"])
        let terminated = try #require(inits[0].state?.terminated)
        #expect(terminated.exitCode == 0 && terminated.reason == "Completed" && terminated.containerID == "hollow://uid-1/setup")
        #expect(inits[0].ready && inits[0].started == false)
        #expect(inits[1].state?.running != nil && inits[1].ready && inits[1].started == true)
    }

    @Test func restartedRunningStatusKeepsStartTime() {
        var pod = Self.pod()
        let started = MetaV1.Time(secondsSinceEpoch: 1_650_000_000)
        pod.status.startTime = started
        let status = HollowPodStatus.running(pod, hostIP: "127.64.0.1", podIP: "10.128.0.2", now: Self.now)
        #expect(status.startTime == started)
        #expect(status.containerStatuses?.first?.state?.running?.startedAt == started)
    }
}
