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

/// The controller's per-node health records, shared by its workers.
final class NodeHealthMap: Sendable {
    private let records = Mutex<[String: NodeHealth]>([:])

    subscript(name: String) -> NodeHealth? {
        get { records.withLock { $0[name] } }
        set { records.withLock { $0[name] = newValue } }
    }
}
