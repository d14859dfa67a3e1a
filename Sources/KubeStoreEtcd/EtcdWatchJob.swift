import GRPCTransport
import KubeStore

/// One etcd watch: a `Watch` RPC (its own HTTP/2 stream) run as a child task of
/// ``EtcdStore/run()``, feeding a ``WatchStream``'s batches until etcd cancels the watch, the
/// stream fails, or the consumer goes away (`stopped` finishes).
struct EtcdWatchJob: Sendable {
    typealias Events = AsyncThrowingStream<[WatchEvent], any Error>

    let create: EtcdRPC.WatchCreateRequest
    /// Events below this revision are dropped (the watch may start one revision early).
    let minRevision: Revision
    let events: Events.Continuation
    /// Finishes when the consumer stops (its stream terminated) or the store closes.
    let stopped: AsyncStream<Never>
    let onCompacted: @Sendable (Revision) -> Void
    let isClosed: @Sendable () -> Bool

    /// Runs the watch until it ends; never throws (errors end `events`).
    func run(_ client: EtcdWatch) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.stream(client) }
            group.addTask { for await _ in self.stopped {} }
            _ = await group.next()
            group.cancelAll()
        }
    }

    private func stream(_ client: EtcdWatch) async {
        let request = EtcdRPC.WatchRequest(.create(create))
        let prevKV = create.prevKV
        let ending: (any Error)?
        do {
            // The request side stays open while the responses are read: etcd would otherwise see
            // the watch stream end.
            ending = try await client.watch(request) { (responses) async throws -> (any Error)? in
                for try await message in responses {
                    if message.canceled {
                        if message.compactRevision > 0 {
                            onCompacted(message.compactRevision)
                            return StoreError.compacted(message.compactRevision)
                        }
                        return StoreError.backend("etcd cancelled the watch: \(message.cancelReason)")
                    }
                    let batch = message.events.lazy
                        .filter { ($0.kv?.modRevision ?? 0) >= minRevision }
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
            }
        } catch let error as GRPCError {
            ending = isClosed() ? StoreError.closed : EtcdErrors.backend(error)
        } catch {
            ending = isClosed() ? StoreError.closed : StoreError.backend(String(describing: error))
        }
        if Task.isCancelled { return events.finish() }
        events.finish(throwing: isClosed() ? StoreError.closed : ending)
    }
}
