import GRPCCore
import KubeStore

/// One etcd watch: a `Watch` RPC (its own HTTP/2 stream) run as a child task of
/// ``EtcdStore/run()``, feeding a ``WatchStream``'s batches until etcd cancels the watch, the
/// stream fails, or the consumer goes away (`stopped` finishes).
struct EtcdWatchJob: Sendable {
    typealias Events = AsyncThrowingStream<[WatchEvent], any Error>

    let create: Etcdserverpb_WatchCreateRequest
    /// Events below this revision are dropped (the watch may start one revision early).
    let minRevision: Revision
    let events: Events.Continuation
    /// Finishes when the consumer stops (its stream terminated) or the store closes.
    let stopped: AsyncStream<Never>
    let onCompacted: @Sendable (Revision) -> Void
    let isClosed: @Sendable () -> Bool

    /// Runs the watch until it ends; never throws (errors end `events`).
    func run(_ client: Etcdserverpb_Watch.Client<EtcdStore.Transport>) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.stream(client) }
            group.addTask { for await _ in self.stopped {} }
            _ = await group.next()
            group.cancelAll()
        }
    }

    private func stream(_ client: Etcdserverpb_Watch.Client<EtcdStore.Transport>) async {
        let request = Etcdserverpb_WatchRequest.with { $0.createRequest = create }
        let prevKV = create.prevKv
        let ending: (any Error)?
        do {
            ending = try await client.watch(
                options: EtcdStore.callOptions,
                requestProducer: { writer in
                    try await writer.write(request)
                    // Keep the request side open: etcd would otherwise see the watch stream end.
                    // Iteration ends when the RPC finishes and cancels the producer.
                    let (hold, holdContinuation) = AsyncStream<Never>.makeStream()
                    for await _ in hold {}
                    holdContinuation.finish()
                },
                onResponse: { response in
                    for try await message in response.messages {
                        if message.canceled {
                            if message.compactRevision > 0 {
                                onCompacted(message.compactRevision)
                                return StoreError.compacted(message.compactRevision)
                            }
                            return StoreError.backend("etcd cancelled the watch: \(message.cancelReason)")
                        }
                        let batch = message.events.lazy
                            .filter { $0.kv.modRevision >= minRevision }
                            .map { EtcdKeys.event($0, prevKV: prevKV) }
                        guard !batch.isEmpty else { continue }
                        switch events.yield(Array(batch)) {
                        case .enqueued: continue
                        case .dropped: return StoreError.watcherOverflow
                        case .terminated: return nil
                        @unknown default: continue
                        }
                    }
                    return StoreError.backend("etcd ended the watch stream")
                })
        } catch let error as RPCError {
            ending = isClosed() ? StoreError.closed : EtcdErrors.backend(error)
        } catch {
            ending = isClosed() ? StoreError.closed : StoreError.backend(String(describing: error))
        }
        if Task.isCancelled { return events.finish() }
        events.finish(throwing: isClosed() ? StoreError.closed : ending)
    }
}
