import KubeStore

extension EtcdStore {
    /// Starts an etcd watch (see the type documentation for how `from == 0` and compaction are
    /// handled). The watch runs inside ``run()``; cancelling the consumer cancels the etcd watch.
    public func watch(_ range: KeyRange, from revision: Revision, prevKV: Bool) throws -> WatchStream {
        let (stopped, stop) = AsyncStream<Never>.makeStream()
        let (stream, continuation) = EtcdWatchJob.Events.makeStream(
            bufferingPolicy: .bufferingOldest(watchBufferLimit))
        let registered: Result<(id: Int, start: Revision), StoreError> = state.withLock { state in
            if state.closed { return .failure(.closed) }
            if revision > 0 && revision <= state.knownCompacted { return .failure(.compacted(state.knownCompacted)) }
            let id = state.nextWatchID
            state.nextWatchID += 1
            state.watches[id] = continuation
            // "Now" is the revision after the newest this client has seen, so that writes this
            // client makes after watch() returns are never missed while etcd sets the watch up.
            let start = revision > 0 ? revision : (state.knownRevision > 0 ? state.knownRevision + 1 : 0)
            return .success((id, start))
        }
        let (id, start) = try registered.get()
        continuation.onTermination = { [weak self] _ in
            stop.finish()
            _ = self?.state.withLock { $0.watches.removeValue(forKey: id) }
        }
        var create = EtcdRPC.WatchCreateRequest()
        (create.key, create.rangeEnd) = EtcdKeys.bounds(range)
        // etcd refuses a start revision only when it is *below* the compacted revision, while
        // KeyValueStore refuses one at or below it: start one revision early and drop that
        // revision's events, so etcd reports `.compacted(c)` exactly when `revision <= c`.
        create.startRevision = revision > 1 ? revision - 1 : start
        create.prevKV = prevKV
        let job = EtcdWatchJob(
            create: create, minRevision: revision, events: continuation, stopped: stopped,
            onCompacted: { [weak self] in self?.noteCompacted($0) },
            isClosed: { [weak self] in self?.isClosed ?? true })
        if case .terminated = watchJobsContinuation.yield(job) {
            continuation.finish(throwing: StoreError.closed)
        }
        return WatchStream(batches: stream)
    }
}
