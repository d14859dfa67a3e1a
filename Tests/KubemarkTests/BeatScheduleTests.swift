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
}
