import KubeClient
import KubeModel
import Logging

/// What kubelet's pod workers do for fleet nodes, minus the containers: a pod bound to a fleet
/// node that is not running yet gets a Running status at once (addresses, conditions, container
/// statuses); a pod being deleted is finished off (deleted with grace period 0 and a UID
/// precondition, as kubelet does once its containers stopped).
///
/// One informer watches every bound pod (`spec.nodeName!=`) with an index by node name that
/// holds fleet nodes only; its handlers queue the keys of fleet pods, and a bounded number of
/// workers sync them — no task per pod.
final class HollowPodSyncer: Sendable {
    static let nodeIndex = "hollow-node"

    let client: RESTClient
    let table: FleetNodeTable
    let informer: Informer<CoreV1.Pod>
    let addresses = PodAddressPool()
    let queue = WorkQueue<String>()
    let logger: Logger
    /// Keys from the informer's handlers (which must not wait) on their way to the queue.
    private let changedKeys: AsyncStream<String>
    private let changedKeySink: AsyncStream<String>.Continuation

    init(client: RESTClient, table: FleetNodeTable, logger: Logger) {
        self.client = client
        self.table = table
        self.logger = logger
        informer = Informer(
            source: FieldSelectedSource(client: client.resource(CoreV1.Pod.self).droppingManagedFields(), fieldSelector: "spec.nodeName!="),
            indexes: [Self.nodeIndex: { pod in
                guard let node = pod.spec.nodeName, table.contains(node) else { return [] }
                return [node]
            }])
        (changedKeys, changedKeySink) = AsyncStream.makeStream(of: String.self)
        let sink = changedKeySink
        informer.addEventHandler(.enqueueing { pod in
            guard let node = pod.spec.nodeName, table.contains(node) else { return }
            sink.yield(Indexer<CoreV1.Pod>.key(of: pod))
        })
    }

    /// The pods the informer holds on fleet node `name`.
    func pods(onNode name: String) -> [CoreV1.Pod] {
        informer.indexer.objects(index: Self.nodeIndex, value: name)
    }

    /// Runs the informer and `workers` workers until cancelled.
    func run(workers: Int) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.informer.run() }
            group.addTask {
                for await key in self.changedKeys { await self.queue.add(key) }
            }
            group.addTask {
                await self.informer.waitForSync()
                await withTaskGroup(of: Void.self) { workerGroup in
                    for _ in 0..<max(1, workers) { workerGroup.addTask { await self.work() } }
                }
            }
            try await group.waitForAll()
        }
    }

    private func work() async {
        while let key = await queue.get() {
            do {
                try await sync(key)
                await queue.forget(key)
            } catch where error is CancellationError || Task.isCancelled {
                // Stopping: requests cut off by the cancellation are not failures.
                await queue.done(key)
                return
            } catch let error as StatusError where error.isNotFound {
                addresses.release(pod: key)
                await queue.forget(key)
            } catch {
                if await queue.retries(key) == 0 {
                    logger.warning("pod sync failed; retrying", metadata: ["pod": "\(key)", "error": "\(error)"])
                }
                await queue.addRateLimited(key)
            }
            await queue.done(key)
        }
    }

    /// Brings pod `key` to where a kubelet would have it.
    func sync(_ key: String) async throws {
        guard let pod = informer.indexer.object(forKey: key),
              let nodeName = pod.spec.nodeName, let node = table.index(of: nodeName) else {
            addresses.release(pod: key)
            return
        }
        let namespace = pod.metadata.namespace ?? "default"
        let podClient = client.resource(CoreV1.Pod.self, namespace: namespace)
        if pod.metadata.deletionTimestamp != nil {
            do {
                try await podClient.delete(pod.metadata.name ?? "", preconditionUID: pod.metadata.uid, gracePeriodSeconds: 0)
            } catch let error as StatusError where error.isNotFound || error.isConflict {
                // Gone already, or a new pod of the same name (the precondition failed).
            }
            addresses.release(pod: key)
            return
        }
        if pod.status.phase == "Succeeded" || pod.status.phase == "Failed" {
            addresses.release(pod: key)
            return
        }
        let hostNetwork = pod.spec.hostNetwork == true
        guard HollowPodStatus.needsStart(pod) else {
            if let podIP = pod.status.podIP, !hostNetwork { addresses.record(pod: key, node: node, address: podIP) }
            return
        }
        let identity = table.identities[node]
        let podIP: String
        if hostNetwork {
            podIP = identity.internalIP
        } else {
            // Pods found running (after a restart of the fleet) keep their addresses.
            if addresses.primes(node: node) {
                for other in pods(onNode: nodeName) where other.spec.hostNetwork != true {
                    if let address = other.status.podIP { addresses.record(pod: Indexer<CoreV1.Pod>.key(of: other), node: node, address: address) }
                }
            }
            let network = table.record(node).podNetwork
            guard let address = addresses.address(forPod: key, node: node, network: network) else {
                throw HollowPodSyncError(message: "no free pod address in \(network) on node \(nodeName)")
            }
            podIP = address
        }
        var running = pod
        running.status = HollowPodStatus.running(pod, hostIP: identity.internalIP, podIP: podIP)
        try await podClient.updateWithoutResult(running, subresource: "status")
    }
}

/// A pod that cannot be started (its node's pod network is full).
struct HollowPodSyncError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
