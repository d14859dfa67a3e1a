import Foundation

/// The shared body of ``KeyValueStore/runMaintenance()``: expires leases every `tick` and
/// compacts according to the policy. Returns when the calling task is cancelled.
struct MaintenanceLoop {
    var tick: Duration = .seconds(1)
    var policy: CompactionPolicy?

    func run(_ store: some KeyValueStore) async throws {
        let clock = ContinuousClock()
        var lastCompaction = clock.now
        var revisionAtLastTick = try await store.currentRevision()
        while !Task.isCancelled {
            do {
                try await Task.sleep(for: tick)
            } catch {
                return  // cancelled
            }
            do {
                try await store.expireLeases(now: Date())
                if let policy, clock.now - lastCompaction >= policy.interval {
                    lastCompaction = clock.now
                    let current = try await store.currentRevision()
                    let target = min(revisionAtLastTick, current - policy.minRetainedRevisions)
                    revisionAtLastTick = current
                    if target > (try await store.compactedRevision()) {
                        try await store.compact(target)
                    }
                }
            } catch StoreError.closed {
                return
            } catch is CancellationError {
                return
            } catch StoreError.compacted {
                continue  // someone else compacted further; fine
            }
        }
    }
}
