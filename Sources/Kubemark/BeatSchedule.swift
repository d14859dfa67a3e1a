/// When each of `count` nodes beats on a period: node *i* at offset *i/count* of every period
/// from `epoch`, rounded down to a multiple of `tick`, so a fleet's beats are spread over the
/// period in groups of the nodes due in the same tick (every node alone with a zero tick)
/// instead of sent in one burst. Missed slots are skipped, never caught up in a burst.
struct BeatSchedule: Sendable {
    let epoch: ContinuousClock.Instant
    let count: Int
    /// Offsets are rounded down to a multiple of it (zero: not rounded).
    var tick: Duration = .zero

    init(epoch: ContinuousClock.Instant, count: Int, tick: Duration = .zero) {
        self.epoch = epoch
        self.count = count
        self.tick = tick
    }

    /// The first slot of node `index` after `now` on a period of `interval`.
    func nextSlot(for index: Int, every interval: Duration, after now: ContinuousClock.Instant) -> ContinuousClock.Instant {
        // In whole nanoseconds, so that offsets on the tick are exact.
        var offset = Self.nanoseconds(interval) * Int64(index) / Int64(max(1, count))
        let tickLength = Self.nanoseconds(tick)
        if tickLength > 0 { offset -= offset % tickLength }
        let phase = epoch + .nanoseconds(offset)
        guard now >= phase else { return phase }
        let periods = ((now - phase) / interval).rounded(.down) + 1
        return phase + interval * periods
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
    }
}
