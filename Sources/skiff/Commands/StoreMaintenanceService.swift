import KubeStore
import ServiceLifecycle

/// The store's compaction loop as a service; stops on graceful shutdown.
struct StoreMaintenanceService: Service {
    let store: SQLiteStore

    func run() async throws {
        try await cancelWhenGracefulShutdown {
            try await store.runMaintenance()
        }
    }
}
