/// Reads committed history for a watch's catch-up phase: the events with revisions in
/// `from...(some end <= to)`, filtered and with `prevKV` as the watch asked, and the next
/// revision to read. Throws `.compacted` if `from` is at or below the compacted revision.
typealias WatchHistoryLoader = @Sendable (_ from: Revision, _ to: Revision) async throws -> (events: [WatchEvent], next: Revision)

/// The events of one watch (see ``KeyValueStore/watch(_:from:prevKV:)``), one ``WatchEvent`` at a
/// time in revision order; all events of one revision are consecutive. Single consumer: iterate
/// it once. It first replays history (`from` up to the revision current at registration), then
/// live changes buffered since registration.
public struct WatchStream: AsyncSequence, Sendable {
    public typealias Element = WatchEvent

    let live: WatchHub.Live
    let historyFrom: Revision
    let historyTo: Revision
    let loadHistory: WatchHistoryLoader

    public func makeAsyncIterator() -> Iterator {
        Iterator(
            live: live.makeAsyncIterator(), nextHistory: historyFrom, historyTo: historyTo,
            loadHistory: loadHistory)
    }

    public struct Iterator: AsyncIteratorProtocol {
        var live: WatchHub.Live.AsyncIterator
        var nextHistory: Revision
        let historyTo: Revision
        let loadHistory: WatchHistoryLoader
        var buffer: [WatchEvent] = []
        var index = 0
        var finished = false

        public mutating func next() async throws -> WatchEvent? {
            while true {
                if index < buffer.count {
                    index += 1
                    return buffer[index - 1]
                }
                if finished { return nil }
                if nextHistory > 0 && nextHistory <= historyTo {
                    if Task.isCancelled {
                        finished = true
                        return nil
                    }
                    do {
                        let page = try await loadHistory(nextHistory, historyTo)
                        nextHistory = page.next
                        buffer = page.events
                        index = 0
                    } catch {
                        finished = true
                        throw error
                    }
                    continue
                }
                do {
                    guard let batch = try await live.next() else {
                        finished = true
                        return nil
                    }
                    buffer = batch
                    index = 0
                } catch {
                    finished = true
                    throw error
                }
            }
        }
    }
}
