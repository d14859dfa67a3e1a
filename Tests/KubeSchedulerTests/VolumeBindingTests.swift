import KubeComponentHelpers
import KubeModel
import Testing
@testable import KubeScheduler

/// upstream volume_binding_test.go and binder_test.go (`TestFindPodVolumesWithoutProvisioning`,
/// `TestFindPodVolumesWithProvisioning`, `TestAssumePodVolumes`), through the default profile:
/// which node a pod with claims lands on, or the FailedScheduling message.
struct VolumeBindingTests {
    typealias F = VolumeFixtures

    struct Case: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var nodes: [CoreV1.Node] = [F.node("a"), F.node("b"), F.node("c")]
        var claims: [CoreV1.PersistentVolumeClaim]
        var volumes: [CoreV1.PersistentVolume] = []
        var classes: [StorageV1.StorageClass] = [F.storageClass()]
        var podClaims: [String]
        /// The chosen node, or the fit error's message.
        var want: Outcome
    }

    enum Outcome: Sendable, Equatable {
        case node(String)
        case failure(String)
    }

    static let bound = F.claim("data", className: "local", volume: "pv-b", bound: true)

    static let cases: [Case] = [
        Case(testDescription: "a bound local volume pins the pod to its node",
             claims: [bound], volumes: [F.volume("pv-b", node: "b", claim: bound)], podClaims: ["data"], want: .node("b")),
        Case(testDescription: "a bound volume on no node's hostname fits nowhere",
             claims: [bound], volumes: [F.volume("pv-b", node: "gone", claim: bound)], podClaims: ["data"],
             want: .failure("0/3 nodes are available: 3 node(s) had volume node affinity conflict. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        // VolumeZone's PreFilter (after VolumeBinding's, before any Filter) looks the volume up first.
        Case(testDescription: "a claim bound to a missing volume",
             claims: [bound], podClaims: ["data"],
             want: .failure("0/3 nodes are available: persistentvolume \"pv-b\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "a missing claim", claims: [], podClaims: ["nope"],
             want: .failure("0/3 nodes are available: persistentvolumeclaim \"nope\" not found. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "an unbound claim of an Immediate class waits for the PV controller",
             claims: [F.claim("data", className: "fast")], classes: [F.storageClass("fast", mode: "Immediate")], podClaims: ["data"],
             want: .failure("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "a claim of a missing class counts as Immediate",
             claims: [F.claim("data", className: "nope")], podClaims: ["data"],
             want: .failure("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "WaitForFirstConsumer: the node with a fitting local volume",
             claims: [F.claim("data", size: "5Gi")],
             volumes: [F.volume("pv-a", size: "1Gi", node: "a"), F.volume("pv-c", size: "10Gi", node: "c")],
             podClaims: ["data"], want: .node("c")),
        Case(testDescription: "WaitForFirstConsumer: no volume of the class, nothing provisions",
             claims: [F.claim("data", size: "5Gi")],
             volumes: [F.volume("pv-a", size: "10Gi", className: "other", node: "a"), F.volume("pv-b", size: "1Gi", node: "b")],
             podClaims: ["data"],
             want: .failure("0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "WaitForFirstConsumer: a volume bound to another claim is not free",
             claims: [F.claim("data")], volumes: [F.volume("pv-a", node: "a", claim: F.claim("other"))], podClaims: ["data"],
             want: .failure("0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "WaitForFirstConsumer: access modes must be covered",
             claims: [F.claim("data", modes: ["ReadWriteMany"])], volumes: [F.volume("pv-a", node: "a")], podClaims: ["data"],
             want: .failure("0/3 nodes are available: 3 node(s) didn't find available persistent volumes to bind. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
        Case(testDescription: "WaitForFirstConsumer: two claims need two volumes on one node",
             claims: [F.claim("one"), F.claim("two")],
             volumes: [F.volume("pv-a1", node: "a"), F.volume("pv-b1", node: "b"), F.volume("pv-b2", node: "b")],
             podClaims: ["one", "two"], want: .node("b")),
        Case(testDescription: "WaitForFirstConsumer: a provisioner limited to zone z2",
             nodes: [F.node("a", zone: "z1"), F.node("b", zone: "z2")], claims: [F.claim("data", className: "csi")],
             classes: [F.storageClass("csi", provisioner: "example.com/csi", allowedZones: ["z2"])], podClaims: ["data"],
             want: .node("b")),
        Case(testDescription: "WaitForFirstConsumer: selected-node names the only node",
             claims: [F.claim("data", className: "csi", annotations: [VolumeAnnotations.selectedNode: "c"])],
             classes: [F.storageClass("csi", provisioner: "example.com/csi")], podClaims: ["data"], want: .node("c")),
        Case(testDescription: "a claim pre-bound to a volume but not yet bound waits for the PV controller",
             claims: [F.claim("data", volume: "pv-a")], volumes: [F.volume("pv-a", node: "a")], podClaims: ["data"],
             want: .failure("0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.")),
    ]

    static func schedule(_ pod: CoreV1.Pod, _ snap: ClusterSnapshot, framework: SchedulingFramework,
                         state: CycleState = CycleState()) -> Outcome {
        var start = 0
        var random = SplitMix64(seed: 1)
        switch framework.schedule(PodInfo(pod), snapshot: snap, state: state, startIndex: &start, random: &random) {
        case .success(let result): return .node(result.nodeName)
        case .failure(var error):
            let postFilter = DefaultPreemption().postFilter(state, pod: PodInfo(pod), snapshot: snap,
                                                            filtered: error.nodeStatuses, framework: framework)
            error.postFilterMessage = postFilter.status.reasons.joined(separator: " ")
            return .failure(error.description)
        }
    }

    @Test(arguments: cases)
    func placesPodsWithClaims(_ testCase: Case) {
        let snap = F.snapshot(testCase.nodes, claims: testCase.claims, volumes: testCase.volumes, classes: testCase.classes)
        let framework = SchedulingFramework(profile: .default())
        #expect(Self.schedule(F.pod(claims: testCase.podClaims), snap, framework: framework) == testCase.want)
    }

    @Test func smallestFittingVolumeIsChosenAndReserveAssumesIt() throws {
        let assumed = AssumedVolumes()
        let framework = SchedulingFramework(profile: .default(assumedVolumes: assumed))
        let claim = F.claim("data", size: "2Gi")
        let other = F.claim("more", size: "2Gi")
        let volumes = [F.volume("pv-big", size: "10Gi", node: "a"), F.volume("pv-small", size: "3Gi", node: "a")]
        let snap = F.snapshot([F.node("a")], claims: [claim, other], volumes: volumes, classes: [F.storageClass()])
        let state = CycleState()
        #expect(Self.schedule(F.pod(claims: ["data"]), snap, framework: framework, state: state) == .node("a"))
        #expect(framework.runReserve(state, pod: PodInfo(F.pod(claims: ["data"])), nodeName: "a").isSuccess)
        let reserved = try #require(state.read(VolumeBinding.stateKey)?.reserved)
        #expect(reserved.staticBindings.map { $0.volume.metadata.name } == ["pv-small"])
        let written = reserved.staticBindings[0].volume
        #expect(written.spec.claimRef?.name == "data" && written.spec.claimRef?.uid == "uid-data")
        #expect(written.spec.claimRef?.kind == "PersistentVolumeClaim" && written.spec.claimRef?.apiVersion == "v1")
        #expect(written.metadata.annotations?[VolumeAnnotations.boundByController] == "yes")

        // The next pod's claim no longer sees pv-small as free: it takes pv-big.
        let next = CycleState()
        #expect(Self.schedule(F.pod("q", claims: ["more"]), snap, framework: framework, state: next) == .node("a"))
        #expect(next.read(VolumeBinding.stateKey)?.podVolumesByNode["a"]?.staticBindings.map { $0.volume.metadata.name } == ["pv-big"])

        // Unreserve gives pv-small back.
        framework.runUnreserve(state, pod: PodInfo(F.pod(claims: ["data"])), nodeName: "a")
        #expect(assumed.isEmpty)
    }

    @Test func podsWithoutClaimsSkipTheVolumePlugins() {
        let snap = F.snapshot([F.node("a")])
        let state = CycleState()
        let pod = PodInfo(PodBuilder("p").pod)
        #expect(VolumeBinding().preFilter(state, pod: pod, snapshot: snap) == .skip)
        #expect(VolumeRestrictions().preFilter(state, pod: pod, snapshot: snap) == .skip)
        #expect(VolumeZone().preFilter(state, pod: pod, snapshot: snap) == .skip)
    }
}

extension VolumeBindingTests {
    /// Without VolumeZone in the way, VolumeBinding's own Filter reports the missing volume.
    @Test func aMissingBoundVolumeIsVolumeBindingsFilterReason() {
        let snap = F.snapshot([F.node("a")], claims: [Self.bound])
        #expect(runFilter(VolumeBinding(), pod: F.pod(claims: ["data"]), snapshot: snap)
                    == [.unresolvable(VolumeBinding.errReasonPVNotExist)])
    }
}
