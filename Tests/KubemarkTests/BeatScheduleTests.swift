import Testing
@testable import Kubemark

@Suite struct BeatScheduleTests {
    @Test func beatsAreSpreadOverTheInterval() {
        let epoch = ContinuousClock.now
        let schedule = BeatSchedule(epoch: epoch, count: 4)
        let interval = Duration.seconds(10)
        let first = (0..<4).map { schedule.nextSlot(for: $0, every: interval, after: epoch) - epoch }
        // Strictly after: node 0, due at the epoch itself, beats one interval later.
        #expect(first == [.seconds(10), .milliseconds(2500), .seconds(5), .milliseconds(7500)])
        // After a beat, the next slot is one interval on; a late beat skips to the next slot.
        #expect(schedule.nextSlot(for: 1, every: interval, after: epoch + .milliseconds(2500)) - epoch == .milliseconds(12500))
        #expect(schedule.nextSlot(for: 1, every: interval, after: epoch + .seconds(31)) - epoch == .milliseconds(32500))
    }

    @Test func beatsFallOnTheTick() {
        let epoch = ContinuousClock.now
        let schedule = BeatSchedule(epoch: epoch, count: 1000, tick: .milliseconds(20))
        let interval = Duration.seconds(10)
        // Node i of 1,000 is due at i × 10 ms, rounded down to the 20 ms tick: two nodes a slot.
        let slots = (0..<6).map { schedule.nextSlot(for: $0, every: interval, after: epoch - .nanoseconds(1)) - epoch }
        #expect(slots == [.zero, .zero, .milliseconds(20), .milliseconds(20), .milliseconds(40), .milliseconds(40)])
        // Each node still beats once per interval.
        #expect(schedule.nextSlot(for: 3, every: interval, after: epoch + .milliseconds(20)) - epoch == .milliseconds(10_020))
        #expect(schedule.nextSlot(for: 999, every: interval, after: epoch) - epoch == .milliseconds(9_980))
    }
}
