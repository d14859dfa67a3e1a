import GRPCTransport
import KubeStore
import Synchronization

/// A ``KeyValueStore`` backed by a real etcd (v3.4+) over its v3 gRPC API.
///
/// etcd already has the semantics ``KeyValueStore`` documents (the protocol was modelled on it), so
/// every method is one or a few RPCs. Differences that remain:
/// - Lease expiry is etcd's job: ``expireLeases(now:)`` is a no-op returning `[]`, and
///   ``runMaintenance()`` only waits for cancellation (configure etcd's own auto-compaction).
/// - ``watch(_:from:prevKV:)`` is synchronous but the etcd watch is created asynchronously, so the
///   store pins `from == 0` to the revision after the last one it has seen in any response, and
///   throws `.compacted` synchronously only for revisions it knows to be compacted; otherwise the
///   stream ends with `.compacted(c)` as etcd reports it.
///
/// The gRPC connection runs inside ``run()`` (or ``withStore(endpoint:security:body:)``),
/// which must be running for RPCs to make progress and returns after ``close()``.
public final class EtcdStore: KeyValueStore, Sendable {
    /// How to secure the client connection.
    public enum Security: Sendable {
        /// HTTP/2 without TLS (`http://` endpoints, e.g. a loopback etcd).
        case plaintext
        // TLS (`https://` endpoints, client certificates) goes here when Skiff's distributed
        // mode needs it (GRPCTransport then needs a TLS handler in front of HTTP/2).
    }

    struct State {
        var closed = false
        /// Highest header revision seen in any response.
        var knownRevision: Revision = 0
        /// Highest revision known to be compacted (by this client or learned from etcd).
        var knownCompacted: Revision = 0
        var nextWatchID = 0
        var watches: [Int: AsyncThrowingStream<[WatchEvent], any Error>.Continuation] = [:]
    }

    /// The etcd client endpoint (`host:port`) this store talks to.
    public let endpoint: String
    let connection: GRPCConnection
    let kv: EtcdKV
    let watchClient: EtcdWatch
    let lease: EtcdLease
    let maintenance: EtcdMaintenance
    let state = Mutex(State())
    let watchJobs: AsyncStream<EtcdWatchJob>
    let watchJobsContinuation: AsyncStream<EtcdWatchJob>.Continuation
    /// Maximum number of undelivered event batches per watch before it ends with `.watcherOverflow`.
    let watchBufferLimit: Int

    /// Creates a store for the etcd client endpoint `endpoint` (`host:port`, optionally with an
    /// `http://` prefix). Nothing connects until ``run()`` runs.
    public init(endpoint: String, security: Security = .plaintext, watchBufferLimit: Int = 10_000) throws {
        let (host, port) = try Self.parse(endpoint: endpoint)
        self.endpoint = endpoint
        switch security {
        case .plaintext: connection = GRPCConnection(target: .tcp(host: host, port: port))
        }
        kv = EtcdKV(connection: connection)
        watchClient = EtcdWatch(connection: connection)
        lease = EtcdLease(connection: connection)
        maintenance = EtcdMaintenance(connection: connection)
        (watchJobs, watchJobsContinuation) = AsyncStream.makeStream()
        self.watchBufferLimit = watchBufferLimit
    }

    /// Creates a store, runs its connections while `body` runs, then closes it.
    public static func withStore<R>(
        endpoint: String, security: Security = .plaintext,
        body: (EtcdStore) async throws -> R
    ) async throws -> R {
        let store = try EtcdStore(endpoint: endpoint, security: security)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await store.run() }
            do {
                let result = try await body(store)
                try await store.close()
                try await group.waitForAll()
                return result
            } catch {
                try? await store.close()
                group.cancelAll()
                throw error
            }
        }
    }

    /// Runs the gRPC connection and the watch streams until ``close()`` (graceful: in-flight
    /// RPCs finish) or until the calling task is cancelled.
    public func run() async throws {
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await self.connection.run() }
            for await job in watchJobs {
                group.addTask { await job.run(self.watchClient) }
            }
        }
    }

    /// Ends every watch with `.closed`, rejects later calls, and shuts the client down gracefully
    /// (``run()`` returns once in-flight RPCs finish). Idempotent.
    public func close() async throws {
        let watches: [AsyncThrowingStream<[WatchEvent], any Error>.Continuation]? = state.withLock { state in
            guard !state.closed else { return nil }
            state.closed = true
            defer { state.watches = [:] }
            return Array(state.watches.values)
        }
        guard let watches else { return }
        for watch in watches { watch.finish(throwing: StoreError.closed) }
        watchJobsContinuation.finish()
        connection.close()
    }

    /// Waits until etcd answers (a serializable read), retrying while it starts up, for at most
    /// `timeout`. ``run()`` must be running.
    public func waitUntilReady(timeout: Duration = .seconds(30)) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        var lastError: (any Error)?
        while clock.now < deadline {
            try checkOpen()
            do {
                var request = EtcdRPC.RangeRequest()
                request.key = EtcdKeys.probeKey
                request.countOnly = true
                _ = try await kv.range(request, timeout: max(.milliseconds(100), deadline - clock.now))
                return
            } catch {
                lastError = error
                // Bounded retry while etcd elects itself leader / finishes starting.
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw StoreError.backend("etcd did not become ready within \(timeout): \(String(describing: lastError))")
    }

    // MARK: - Shared helpers

    func checkOpen() throws {
        if state.withLock({ $0.closed }) { throw StoreError.closed }
    }

    var isClosed: Bool { state.withLock { $0.closed } }

    /// Records a response header's revision, and returns it.
    @discardableResult
    func note(_ header: EtcdRPC.ResponseHeader?) -> Revision {
        let revision = header?.revision ?? 0
        state.withLock { $0.knownRevision = max($0.knownRevision, revision) }
        return revision
    }

    func noteCompacted(_ revision: Revision) {
        state.withLock { $0.knownCompacted = max($0.knownCompacted, revision) }
    }

    static func parse(endpoint: String) throws -> (host: String, port: Int) {
        var rest = Substring(endpoint)
        if rest.hasPrefix("http://") { rest = rest.dropFirst("http://".count) }
        if rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]) else {
            throw StoreError.backend("invalid etcd endpoint '\(endpoint)' (expected host:port)")
        }
        var host = String(rest[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host, port)
    }
}
