/// What both watch cursors wait on: the next item of their source, raced against a timer (the
/// deadline or the next bookmark) and against the client going away.
enum WatchRace {
    enum Outcome<Value: Sendable>: Sendable {
        /// The source answered first (nil: it was interrupted).
        case value(Value?)
        /// The timer or the client's leaving came first; `late` is what the source delivered
        /// while being cancelled, which must not be lost.
        case woke(late: Value?)
    }

    private enum Contender<Value: Sendable>: Sendable {
        case source(Value?)
        case wake
    }

    static func next<Value: Sendable>(until wake: ContinuousClock.Instant, connectionClosed: ConnectionClosedSignal?,
                                      _ source: @escaping @Sendable () async -> Value?) async -> Outcome<Value> {
        await withTaskGroup(of: Contender<Value>.self) { group in
            group.addTask { .source(await source()) }
            group.addTask {
                try? await Task.sleep(until: wake, clock: .continuous)
                return .wake
            }
            if let connectionClosed {
                group.addTask {
                    await connectionClosed.wait()
                    return .wake
                }
            }
            let first = await group.next() ?? .wake
            group.cancelAll()
            var late: Value?
            while let result = await group.next() {
                if case .source(let value?) = result { late = value }
            }
            if case .source(let value) = first { return .value(value) }
            return .woke(late: late)
        }
    }
}
