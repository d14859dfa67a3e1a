import Foundation
import KubeModel
import Logging
import Synchronization

/// Leader election on a Lease (client-go's `leaderelection`): candidates try to take the
/// lease every `retryPeriod`; the holder renews it every `retryPeriod` and gives up leading if
/// it could not renew for `renewDeadline`. A lease counts as expired when its record has not
/// changed for `leaseDuration` as seen by this process's own clock (never by comparing clocks
/// across machines).
public final class LeaderElector: Sendable {
    public struct Configuration: Sendable {
        public var leaseName: String
        /// This candidate's identity (upstream: hostname plus a unique suffix).
        public var identity: String
        public var leaseDuration: Duration = .seconds(15)
        public var renewDeadline: Duration = .seconds(10)
        public var retryPeriod: Duration = .seconds(2)

        public init(leaseName: String, identity: String) {
            self.leaseName = leaseName
            self.identity = identity
        }
    }

    /// Leading stopped because the lease could not be renewed in time.
    public struct LeadershipLost: Error, Sendable, CustomStringConvertible {
        public var description: String { "leader election lost" }
    }

    private struct Observation {
        var record: CoordinationV1.LeaseSpec?
        var observedAt: ContinuousClock.Instant = .now
    }

    public let configuration: Configuration
    private let lock: any LeaseLock
    private let logger: Logger
    private let observation = Mutex(Observation())
    private let leading = Atomic<Bool>(false)

    public init(lock: any LeaseLock, configuration: Configuration, logger: Logger = Logger(label: "skiff.leader-election")) {
        self.lock = lock
        self.configuration = configuration
        self.logger = logger
    }

    public var isLeader: Bool { leading.load(ordering: .relaxed) }

    /// Waits to become leader, then runs `lead` while the lease is held. Returns when `lead`
    /// returns or the task is cancelled (releasing the lease); throws ``LeadershipLost`` when
    /// renewing fails for `renewDeadline` (`lead` is cancelled first).
    public func run(_ lead: @escaping @Sendable () async throws -> Void) async throws {
        while !(await tryAcquireOrRenew()) {
            try await Task.sleep(for: jittered(configuration.retryPeriod))
        }
        leading.store(true, ordering: .relaxed)
        logger.info("became leader", metadata: ["lease": "\(configuration.leaseName)", "identity": "\(configuration.identity)"])
        defer { leading.store(false, ordering: .relaxed) }
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await lead() }
                group.addTask { try await self.renewUntilLost() }
                try await group.next()
                group.cancelAll()
            }
        } catch is CancellationError {
            await release()
            throw CancellationError()
        }
        if Task.isCancelled { await release() }
    }

    private func renewUntilLost() async throws {
        var lastRenewal = ContinuousClock.now
        while true {
            try await Task.sleep(for: configuration.retryPeriod)
            if await tryAcquireOrRenew() {
                lastRenewal = .now
            } else if ContinuousClock.now - lastRenewal >= configuration.renewDeadline {
                logger.warning("failed to renew the lease in time", metadata: ["lease": "\(configuration.leaseName)"])
                throw LeadershipLost()
            }
        }
    }

    /// One attempt (client-go's `tryAcquireOrRenew`); false when someone else holds a live lease
    /// or the write lost a race.
    func tryAcquireOrRenew() async -> Bool {
        let now = MetaV1.MicroTime(Date())
        let seconds = Int32(configuration.leaseDuration.components.seconds)
        do {
            guard var lease = try await lock.lease(named: configuration.leaseName) else {
                var lease = CoordinationV1.Lease()
                lease.metadata.name = configuration.leaseName
                lease.spec = CoordinationV1.LeaseSpec(
                    acquireTime: now, holderIdentity: configuration.identity, leaseDurationSeconds: seconds,
                    leaseTransitions: 0, renewTime: now)
                let created = try await lock.createLease(lease)
                observe(created.spec)
                return true
            }
            observe(lease.spec)
            let holder = lease.spec.holderIdentity ?? ""
            let isMine = holder == configuration.identity
            if !holder.isEmpty && !isMine && !observedExpired(lease.spec) { return false }
            if isMine {
                lease.spec.renewTime = now
            } else {
                lease.spec.acquireTime = now
                lease.spec.renewTime = now
                lease.spec.leaseTransitions = (lease.spec.leaseTransitions ?? 0) + 1
                lease.spec.holderIdentity = configuration.identity
            }
            lease.spec.leaseDurationSeconds = seconds
            let updated = try await lock.updateLease(lease)
            observe(updated.spec)
            return true
        } catch {
            logger.debug("lease attempt failed", metadata: ["lease": "\(configuration.leaseName)", "error": "\(error)"])
            return false
        }
    }

    /// Gives the lease up so another candidate need not wait for it to expire (client-go's
    /// `ReleaseOnCancel`): an empty holder and a one-second duration.
    private func release() async {
        guard let current = try? await lock.lease(named: configuration.leaseName),
              current.spec.holderIdentity == configuration.identity else { return }
        var lease = current
        lease.spec.holderIdentity = nil
        lease.spec.leaseDurationSeconds = 1
        _ = try? await lock.updateLease(lease)
    }

    private func observe(_ spec: CoordinationV1.LeaseSpec) {
        observation.withLock { observation in
            if observation.record != spec {
                observation.record = spec
                observation.observedAt = .now
            }
        }
    }

    private func observedExpired(_ spec: CoordinationV1.LeaseSpec) -> Bool {
        let duration = Duration.seconds(Int64(spec.leaseDurationSeconds ?? 0))
        return observation.withLock { ContinuousClock.now >= $0.observedAt + duration }
    }

    private func jittered(_ period: Duration) -> Duration {
        period + period * Double.random(in: 0..<1.2)
    }
}
