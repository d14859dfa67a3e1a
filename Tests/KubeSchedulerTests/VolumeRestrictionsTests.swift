import KubeComponentHelpers
import KubeModel
import Synchronization
import Testing
@testable import KubeScheduler

/// upstream volume_restrictions_test.go and volume_zone_test.go cases, and VolumeBinding's PreBind.
struct VolumeRestrictionsTests {
    typealias F = VolumeFixtures

    @Test func aReadWriteOncePodClaimInUseBlocksEveryNode() {
        let claim = F.claim("solo", bound: true, modes: ["ReadWriteOncePod"])
        let holder = F.pod("holder", claims: ["solo"], node: "a")
        let snap = F.snapshot([F.node("a"), F.node("b")], pods: [holder], claims: [claim])
        let statuses = runFilter(VolumeRestrictions(), pod: F.pod("p", claims: ["solo"]), snapshot: snap)
        #expect(statuses == [PluginStatus.unschedulable(VolumeRestrictions.errReasonReadWriteOncePodConflict),
                             .unschedulable(VolumeRestrictions.errReasonReadWriteOncePodConflict)])
        // Not in use: no restriction.
        let free = F.snapshot([F.node("a")], claims: [claim])
        #expect(runFilter(VolumeRestrictions(), pod: F.pod("p", claims: ["solo"]), snapshot: free) == [.success])
    }

    @Test func preemptionCanFreeAReadWriteOncePodClaim() {
        let claim = F.claim("solo", bound: true, modes: ["ReadWriteOncePod"])
        let holder = F.pod("holder", claims: ["solo"], node: "a")
        let snap = F.snapshot([F.node("a")], pods: [holder], claims: [claim])
        let plugin = VolumeRestrictions()
        let state = CycleState()
        let pod = PodInfo(F.pod("p", claims: ["solo"]))
        #expect(plugin.preFilter(state, pod: pod, snapshot: snap).isSuccess)
        let node = snap.nodes[0]
        #expect(plugin.removePod(state, pod: pod, removing: PodInfo(holder), from: node).isSuccess)
        #expect(plugin.filter(state, pod: pod, node: node) == .success)
        #expect(plugin.addPod(state, pod: pod, adding: PodInfo(holder), to: node).isSuccess)
        #expect(plugin.filter(state, pod: pod, node: node) == .unschedulable(VolumeRestrictions.errReasonReadWriteOncePodConflict))
    }

    static func gcePD(_ name: String, readOnly: Bool) -> CoreV1.Pod {
        PodBuilder(name).with {
            $0.spec.volumes = [CoreV1.Volume(gcePersistentDisk: CoreV1.GCEPersistentDiskVolumeSource(pdName: "disk", readOnly: readOnly), name: "d")]
        }.pod
    }

    @Test(arguments: [(false, false, false), (true, true, true), (true, false, false)])
    func gcePersistentDisksConflictUnlessBothReadOnly(_ existingReadOnly: Bool, _ incomingReadOnly: Bool, _ fits: Bool) {
        var existing = Self.gcePD("existing", readOnly: existingReadOnly)
        existing.spec.nodeName = "a"
        let snap = F.snapshot([F.node("a")], pods: [existing])
        let statuses = runFilter(VolumeRestrictions(), pod: Self.gcePD("p", readOnly: incomingReadOnly), snapshot: snap)
        #expect(statuses == [fits ? .success : .unschedulable(VolumeRestrictions.errReasonDiskConflict)])
    }

    @Test func aZonedVolumeKeepsThePodInItsZones() {
        let claim = F.claim("data", volume: "pv", bound: true)
        let volume = F.volume("pv", claim: claim, labels: ["topology.kubernetes.io/zone": "z1__z2"])
        let nodes = [F.node("a", zone: "z1"), F.node("b", zone: "z3"), F.node("c")]
        let snap = F.snapshot(nodes, claims: [claim], volumes: [volume])
        let statuses = runFilter(VolumeZone(), pod: F.pod(claims: ["data"]), snapshot: snap)
        // A node without zone labels is not constrained.
        #expect(statuses == [.success, .unresolvable(VolumeZone.errReasonConflict), .success])
    }

    @Test func aBetaZoneLabelMatchesTheGALabelOfANode() {
        let claim = F.claim("data", volume: "pv", bound: true)
        let volume = F.volume("pv", claim: claim, labels: ["failure-domain.beta.kubernetes.io/zone": "z1"])
        let snap = F.snapshot([F.node("a", zone: "z1"), F.node("b", zone: "z2")], claims: [claim], volumes: [volume])
        #expect(runFilter(VolumeZone(), pod: F.pod(claims: ["data"]), snapshot: snap)
                    == [.success, .unresolvable(VolumeZone.errReasonConflict)])
    }

    /// A PreBind handle over an in-memory catalog; `controller` plays the PV controller.
    final class FakeHandle: PreBindHandle {
        let catalog: Mutex<InMemoryVolumeCatalog>
        let completes: Bool
        let updates = Mutex<[String]>([])

        init(_ catalog: InMemoryVolumeCatalog, completes: Bool) {
            self.catalog = Mutex(catalog)
            self.completes = completes
        }

        var volumes: any VolumeCatalog { catalog.withLock { $0 } }

        func update(_ volume: CoreV1.PersistentVolume) async throws -> CoreV1.PersistentVolume {
            updates.withLock { $0.append("pv/\(volume.metadata.name ?? "")") }
            var stored = volume
            stored.metadata.resourceVersion = "2"
            catalog.withLock { catalog in
                catalog.volumesByName[volume.metadata.name ?? ""] = stored
                guard completes, let reference = volume.spec.claimRef else { return }
                let key = "\(reference.namespace ?? "")/\(reference.name ?? "")"
                catalog.claims[key]?.spec.volumeName = volume.metadata.name
                catalog.claims[key]?.metadata.annotations = [VolumeAnnotations.bindCompleted: "yes"]
            }
            return stored
        }

        func update(_ claim: CoreV1.PersistentVolumeClaim) async throws -> CoreV1.PersistentVolumeClaim {
            updates.withLock { $0.append("pvc/\(claim.metadata.name ?? "")") }
            catalog.withLock { $0.claims[claim.claimKey] = claim }
            return claim
        }

        func waitForVolumes(until deadline: ContinuousClock.Instant, _ done: @Sendable () throws -> Bool) async throws -> Bool {
            try done()
        }
    }

    /// A pod with one WaitForFirstConsumer claim scheduled and reserved on node a (volume pv-a).
    static func reservedOnNodeA(_ framework: SchedulingFramework) -> (CycleState, PodInfo, InMemoryVolumeCatalog) {
        let catalog = InMemoryVolumeCatalog(claims: [F.claim("data")], volumes: [F.volume("pv-a", node: "a")],
                                            classes: [F.storageClass()])
        var snap = KubeSchedulerTests.snapshot([F.node("a")])
        snap.volumes = catalog
        let pod = PodInfo(F.pod(claims: ["data"]))
        let state = CycleState()
        #expect(VolumeBindingTests.schedule(pod.pod, snap, framework: framework, state: state) == .node("a"))
        #expect(framework.runReserve(state, pod: pod, nodeName: "a").isSuccess)
        return (state, pod, catalog)
    }

    @Test func preBindWritesTheVolumeAndWaitsForTheClaimToBind() async throws {
        let assumed = AssumedVolumes()
        let framework = SchedulingFramework(profile: .default(assumedVolumes: assumed))
        let (state, pod, catalog) = Self.reservedOnNodeA(framework)
        let handle = FakeHandle(catalog, completes: true)
        #expect(await framework.runPreBind(state, pod: pod, nodeName: "a", handle: handle) == .success)
        #expect(handle.updates.withLock { $0 } == ["pv/pv-a"])
        #expect(handle.volumes.volume(named: "pv-a")?.spec.claimRef?.uid == "uid-data")
        #expect(assumed.isEmpty)
    }

    @Test func preBindFailsWhenTheClaimRefIsReset() async throws {
        let (state, pod, catalog) = Self.reservedOnNodeA(SchedulingFramework(profile: .default()))
        // The write lands but someone clears claimRef before the controller binds.
        let handle = FakeHandle(catalog, completes: false)
        let status = await VolumeBinding().preBind(state, pod: pod, nodeName: "a", handle: ResettingHandle(inner: handle))
        #expect(status == .error("binding volumes: ClaimRef got reset for pv \"pv-a\""))
    }

    struct ResettingHandle: PreBindHandle {
        let inner: FakeHandle
        var volumes: any VolumeCatalog { inner.volumes }

        func update(_ volume: CoreV1.PersistentVolume) async throws -> CoreV1.PersistentVolume {
            var cleared = volume
            cleared.spec.claimRef = nil
            return try await inner.update(cleared)
        }

        func update(_ claim: CoreV1.PersistentVolumeClaim) async throws -> CoreV1.PersistentVolumeClaim {
            try await inner.update(claim)
        }

        func waitForVolumes(until deadline: ContinuousClock.Instant, _ done: @Sendable () throws -> Bool) async throws -> Bool {
            try done()
        }
    }
}
