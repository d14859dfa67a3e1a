/// A watch's events, taken in batches: every event ready when the consumer asks, so a busy
/// watch costs one wake-up and one write per batch rather than per event, and a consumer that
/// falls behind catches up with larger writes. Ends when the watch ends (timeout, client gone,
/// store closed). As an `AsyncSequence` it yields the events one by one.
public struct APIWatchStream: AsyncSequence, Sendable {
    public typealias Element = APIWatchEvent

    private let source: @Sendable () async throws -> [APIWatchEvent]?

    /// `batches` returns the next events (never an empty array), or nil once the watch ended;
    /// calls are serial.
    init(batches: @escaping @Sendable () async throws -> [APIWatchEvent]?) {
        source = batches
    }

    /// The next events in order (at least one), or nil when the watch ended.
    public func nextBatch() async throws -> [APIWatchEvent]? {
        try await source()
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(stream: self)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let stream: APIWatchStream
        var batch: [APIWatchEvent] = []
        var index = 0
        var ended = false

        public mutating func next() async throws -> APIWatchEvent? {
            while index >= batch.count {
                guard !ended, let next = try await stream.nextBatch() else {
                    ended = true
                    return nil
                }
                batch = next
                index = 0
            }
            index += 1
            return batch[index - 1]
        }
    }
}
