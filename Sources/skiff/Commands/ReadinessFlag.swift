import Synchronization

/// Whether the server is ready (`/readyz`): the store is open and bootstrap is done.
final class ReadinessFlag: Sendable {
    private let ready = Atomic<Bool>(false)

    func markReady() { ready.store(true, ordering: .releasing) }

    var isReady: Bool { ready.load(ordering: .acquiring) }
}
