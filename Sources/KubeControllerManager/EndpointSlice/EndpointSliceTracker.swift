import KubeModel
import Synchronization

/// What this controller last wrote per service (upstream's `EndpointSliceTracker`): a service
/// is not reconciled while the informer cache still lacks its own recent writes, so slices are
/// not made twice.
final class EndpointSliceTracker: Sendable {
    private struct Written { var resourceVersions: [String: String] = [:]; var deleted: Set<String> = [] }
    private let written = Mutex<[String: Written]>([:])

    /// Whether `cached` (the service's slices in the cache) still misses a write of ours;
    /// once it does not, the record is dropped.
    func isStale(service key: String, cached: [DiscoveryV1.EndpointSlice]) -> Bool {
        written.withLock { written in
            guard let record = written[key] else { return false }
            let byName = Dictionary(cached.map { ($0.metadata.name ?? "", $0.metadata.resourceVersion ?? "") }, uniquingKeysWith: { a, _ in a })
            for (name, version) in record.resourceVersions {
                guard let seen = byName[name] else { return true }
                if let seenNumber = Int(seen), let wroteNumber = Int(version), seenNumber < wroteNumber { return true }
            }
            if record.deleted.contains(where: { byName[$0] != nil }) { return true }
            written[key] = nil
            return false
        }
    }

    func wrote(service key: String, _ slice: DiscoveryV1.EndpointSlice) {
        written.withLock { $0[key, default: Written()].resourceVersions[slice.metadata.name ?? ""] = slice.metadata.resourceVersion ?? "" }
    }

    func deleted(service key: String, name: String) {
        written.withLock { written in
            written[key, default: Written()].resourceVersions[name] = nil
            written[key, default: Written()].deleted.insert(name)
        }
    }

    /// A slice went away (whoever deleted it): stop waiting for it.
    func observedDeletion(service key: String, name: String) {
        written.withLock { written in
            written[key]?.resourceVersions[name] = nil
            written[key]?.deleted.remove(name)
        }
    }

    func forget(service key: String) { written.withLock { $0[key] = nil } }
}
