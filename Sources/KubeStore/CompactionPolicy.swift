/// Periodic automatic compaction run by ``KeyValueStore/runMaintenance()``.
///
/// Every `interval`, the store compacts to the revision it had at the previous tick (so at least
/// one `interval` of history is kept, like the kube-apiserver's 5-minute compaction), but never
/// beyond `currentRevision - minRetainedRevisions`.
public struct CompactionPolicy: Sendable, Hashable {
    public var interval: Duration
    public var minRetainedRevisions: Int64

    public init(interval: Duration = .seconds(300), minRetainedRevisions: Int64 = 10_000) {
        self.interval = interval
        self.minRetainedRevisions = minRetainedRevisions
    }

    /// The kube-apiserver-like default: every 5 minutes, keeping at least 10,000 revisions.
    public static let standard = CompactionPolicy()
}
