extension WatchStream {
    /// A watch stream fed by a backend outside this module (e.g. `EtcdStore`), which does its own
    /// catch-up and delivers batches in revision order: each element holds the events of one or
    /// more whole revisions (never part of a revision). Finishing `batches` with an error ends the
    /// stream with that error; cancelling the consumer terminates `batches`.
    public init(batches: AsyncThrowingStream<[WatchEvent], any Error>) {
        self.init(
            live: batches, historyFrom: 0, historyTo: 0,
            loadHistory: { _, _ in ([], 0) })
    }
}
