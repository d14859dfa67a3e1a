/// When each of `count` nodes beats on a period: node *i* at offset *i/count* of every period
/// from `epoch`, so a fleet's beats are spread evenly over the period instead of sent in bursts.
/// Missed slots are skipped, never caught up in a burst.
struct BeatSchedule: Sendable {
    let epoch: ContinuousClock.Instant
    let count: Int

    /// The first slot of node `index` after `now` on a period of `interval`.
    func nextSlot(for index: Int, every interval: Duration, after now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        let phase = epoch + interval * (Double(index) / Double(max(1, count)))
        guard now >= phase else { return phase }
        let periods = ((now - phase) / interval).rounded(.down) + 1
        return phase + interval * periods
    }
}
