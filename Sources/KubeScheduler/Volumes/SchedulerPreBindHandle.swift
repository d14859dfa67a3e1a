import KubeClient
import KubeModel

/// What the scheduler gives PreBind plugins: PUTs through its client, its volume informers,
/// and a signal the informers raise on every claim or volume change.
struct SchedulerPreBindHandle: PreBindHandle {
    let client: RESTClient
    let volumes: any VolumeCatalog
    let changes: ChangeSignal

    func update(_ volume: CoreV1.PersistentVolume) async throws -> CoreV1.PersistentVolume {
        try await client.resource(CoreV1.PersistentVolume.self).update(volume)
    }

    func update(_ claim: CoreV1.PersistentVolumeClaim) async throws -> CoreV1.PersistentVolumeClaim {
        try await client.resource(CoreV1.PersistentVolumeClaim.self, namespace: claim.metadata.namespace).update(claim)
    }

    func waitForVolumes(until deadline: ContinuousClock.Instant, _ done: @Sendable () throws -> Bool) async throws -> Bool {
        while true {
            let generation = changes.generation
            if try done() { return true }
            if ContinuousClock.now >= deadline || Task.isCancelled { return false }
            await changes.wait(after: generation, until: deadline)
        }
    }
}
