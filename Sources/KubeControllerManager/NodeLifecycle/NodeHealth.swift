import Foundation
import KubeModel
import Synchronization

/// What the node lifecycle controller last observed of a node (upstream's `nodeHealthData`):
/// when it last saw the kubelet alive (a new heartbeat in the Ready condition or a renewed
/// Lease, by the controller's own clock), and the status and Lease it saw then.
struct NodeHealth: Sendable {
    var probeTimestamp: Date
    var readyTransitionTimestamp: Date
    var readyCondition: CoreV1.NodeCondition?
    var leaseRenewTime: MetaV1.MicroTime?
}

/// The controller's per-node health records, and the nodes whose pods still need marking
/// not ready after a failed attempt (upstream's `nodeHealthMap` and `nodesToRetry`).
final class NodeHealthMap: Sendable {
    private let records = Mutex<[String: NodeHealth]>([:])
    private let podRetries = Mutex<Set<String>>([])

    subscript(name: String) -> NodeHealth? {
        get { records.withLock { $0[name] } }
        set { records.withLock { $0[name] = newValue } }
    }

    /// Sets both timestamps to `now` (upstream does so on leaving master disruption mode).
    func resetTimestamps(_ name: String, to now: Date) {
        records.withLock { records in
            guard var record = records[name] else { return }
            record.probeTimestamp = now
            record.readyTransitionTimestamp = now
            records[name] = record
        }
    }

    func needsPodRetry(_ name: String) -> Bool { podRetries.withLock { $0.contains(name) } }

    func setNeedsPodRetry(_ name: String, _ retry: Bool) {
        podRetries.withLock { retries in
            if retry { retries.insert(name) } else { retries.remove(name) }
        }
    }
}
