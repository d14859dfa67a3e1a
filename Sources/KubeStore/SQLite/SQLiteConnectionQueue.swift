import Dispatch

/// An ``SQLiteConnection`` confined to its own serial dispatch queue: every use runs there, one at
/// a time, so the connection is never used by two threads at once. Blocking SQLite work (disk
/// reads, fsync) thus runs on the queue's thread, not on the Swift concurrency pool's threads.
///
/// The connection is opened by `open` on the queue at the first use, and closed by ``close()``.
final class SQLiteConnectionQueue: @unchecked Sendable {
    // @unchecked: `connection` and `closed` are only accessed on `queue`.
    private let queue: DispatchQueue
    private let open: @Sendable () throws -> SQLiteConnection
    private var connection: SQLiteConnection?
    private var closed = false

    init(label: String, open: @escaping @Sendable () throws -> SQLiteConnection) {
        queue = DispatchQueue(label: label)
        self.open = open
    }

    /// Runs `body` with the connection on the queue and returns its result. Not cancellable:
    /// once submitted, `body` runs to the end.
    func run<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body(self.openedConnection()) })
            }
        }
    }

    /// Runs `body` with the connection on the queue, blocking the caller until it is done (for
    /// synchronous setup; never call it from the queue itself).
    func runBlocking<T>(_ body: (SQLiteConnection) throws -> T) throws -> T {
        try queue.sync { try body(openedConnection()) }
    }

    /// Closes the connection once the work already submitted is done; later uses fail.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.closed = true
                self.connection = nil
                continuation.resume()
            }
        }
    }

    /// Only called on `queue`.
    private func openedConnection() throws -> SQLiteConnection {
        dispatchPrecondition(condition: .onQueue(queue))
        if closed { throw SQLiteError.closed }
        if let connection { return connection }
        let opened = try open()
        connection = opened
        return opened
    }
}
