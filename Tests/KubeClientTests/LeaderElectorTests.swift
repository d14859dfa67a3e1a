import Foundation
import Synchronization
import KubeModel
import Testing
@testable import KubeClient

/// An in-memory Lease with the API server's optimistic concurrency (409 on a stale version).
actor MemoryLeaseLock: LeaseLock {
    private var stored: CoordinationV1.Lease?
    private var version = 0

    var current: CoordinationV1.Lease? { stored }

    func lease(named name: String) async throws -> CoordinationV1.Lease? { stored }

    func createLease(_ lease: CoordinationV1.Lease) async throws -> CoordinationV1.Lease {
        guard stored == nil else { throw StatusError(status: MetaV1.Status(code: 409, message: "exists", reason: "AlreadyExists")) }
        return commit(lease)
    }

    func updateLease(_ lease: CoordinationV1.Lease) async throws -> CoordinationV1.Lease {
        guard let stored, stored.metadata.resourceVersion == lease.metadata.resourceVersion else {
            throw StatusError(status: MetaV1.Status(code: 409, message: "the object has been modified", reason: "Conflict"))
        }
        return commit(lease)
    }

    private func commit(_ lease: CoordinationV1.Lease) -> CoordinationV1.Lease {
        version += 1
        var lease = lease
        lease.metadata.resourceVersion = String(version)
        stored = lease
        return lease
    }
}

@Suite struct LeaderElectorTests {
    static func elector(_ identity: String, _ lock: MemoryLeaseLock, leaseSeconds: Int64 = 15) -> LeaderElector {
        var configuration = LeaderElector.Configuration(leaseName: "kube-scheduler", identity: identity)
        configuration.leaseDuration = .seconds(leaseSeconds)
        configuration.renewDeadline = .milliseconds(500)
        configuration.retryPeriod = .milliseconds(20)
        return LeaderElector(lock: lock, configuration: configuration)
    }

    @Test func onlyOneCandidateHoldsALiveLease() async throws {
        let lock = MemoryLeaseLock()
        let a = Self.elector("a", lock), b = Self.elector("b", lock)
        #expect(await a.tryAcquireOrRenew())
        #expect(await !b.tryAcquireOrRenew())
        // The holder renews: same holder, renewTime moves, no transition.
        #expect(await a.tryAcquireOrRenew())
        let lease = try #require(await lock.current)
        #expect(lease.spec.holderIdentity == "a" && lease.spec.leaseTransitions == 0 && lease.spec.leaseDurationSeconds == 15)
    }

    @Test(.timeLimit(.minutes(1)))
    func anExpiredLeaseIsTakenOver() async throws {
        let lock = MemoryLeaseLock()
        let a = Self.elector("a", lock, leaseSeconds: 1), b = Self.elector("b", lock, leaseSeconds: 1)
        #expect(await a.tryAcquireOrRenew())
        #expect(await !b.tryAcquireOrRenew())
        // "a" stops renewing: once b has seen the record unchanged for the lease duration, it takes over.
        while await !b.tryAcquireOrRenew() { try await Task.sleep(for: .milliseconds(50)) }
        let lease = try #require(await lock.current)
        #expect(lease.spec.holderIdentity == "b" && lease.spec.leaseTransitions == 1)
    }

    @Test(.timeLimit(.minutes(1)))
    func theLeaderRunsAndReleasesOnCancellationSoTheNextTakesOverAtOnce() async throws {
        let lock = MemoryLeaseLock()
        let a = Self.elector("a", lock), b = Self.elector("b", lock)
        let (aLeads, aStarted) = AsyncStream.makeStream(of: Void.self)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await a.run {
                    aStarted.yield()
                    try await Task.sleep(for: .seconds(3600))
                }
            }
            var leads = aLeads.makeAsyncIterator()
            _ = await leads.next()
            #expect(a.isLeader)
            #expect(await !b.tryAcquireOrRenew())
            group.cancelAll()
        }
        #expect(!a.isLeader)
        let released = try #require(await lock.current)
        #expect(released.spec.holderIdentity == nil && released.spec.leaseDurationSeconds == 1)
        // A released lease is free at once (well before its 15 s would have run out).
        let bLed = LedFlag()
        try await b.run { bLed.value.store(true, ordering: .relaxed) }
        let led = bLed.value.load(ordering: .relaxed)
        #expect(led)
        #expect(try #require(await lock.current).spec.leaseTransitions == 1)
    }
}

private final class LedFlag: Sendable {
    let value = Atomic<Bool>(false)
}
