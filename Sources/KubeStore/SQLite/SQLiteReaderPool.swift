import Synchronization

/// Reader connections of a WAL database: up to `count` reads run at once, each on its own
/// connection inside a deferred transaction, so it sees one consistent snapshot of the database
/// (the last commit before its first read) however long it runs and whatever the writer does
/// meanwhile. Connections are opened lazily, when concurrent reads first need them.
final class SQLiteReaderPool: Sendable {
    private struct State {
        var idle: [SQLiteConnectionQueue]
        var waiters: [CheckedContinuation<SQLiteConnectionQueue, Never>] = []
    }

    private let readers: [SQLiteConnectionQueue]
    private let state: Mutex<State>

    init(count: Int, label: String, open: @escaping @Sendable () throws -> SQLiteConnection) {
        readers = (0..<max(1, count)).map { SQLiteConnectionQueue(label: "\(label).\($0)", open: open) }
        // Taken from the end: the first readers are reused most, the last only opened under load.
        state = Mutex(State(idle: readers.reversed()))
    }

    /// Runs `body` in a read transaction on a free reader connection (waiting for one if all
    /// are busy).
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        let reader = await acquire()
        defer { release(reader) }
        return try await reader.run { connection in
            try connection.transaction(.deferred) { try body(connection) }
        }
    }

    /// Closes every reader connection once its current read is done.
    func close() async {
        for reader in readers { await reader.close() }
    }

    private func acquire() async -> SQLiteConnectionQueue {
        if let reader = state.withLock({ $0.idle.popLast() }) { return reader }
        return await withCheckedContinuation { continuation in
            let reader: SQLiteConnectionQueue? = state.withLock { state in
                if let reader = state.idle.popLast() { return reader }
                state.waiters.append(continuation)
                return nil
            }
            if let reader { continuation.resume(returning: reader) }
        }
    }

    private func release(_ reader: SQLiteConnectionQueue) {
        let waiter: CheckedContinuation<SQLiteConnectionQueue, Never>? = state.withLock { state in
            guard !state.waiters.isEmpty else {
                state.idle.append(reader)
                return nil
            }
            return state.waiters.removeFirst()
        }
        waiter?.resume(returning: reader)
    }
}
