import Foundation
import KubeModel
import Testing
@testable import KubeClient

/// Cases from client-go's `TestEventCorrelator`.
@Suite struct EventCorrelatorTests {
    static func event(_ message: String, reason: String = "FailedScheduling", now: Date) -> CoreV1.Event {
        var pod = CoreV1.Pod()
        pod.metadata.name = "web"
        pod.metadata.namespace = "default"
        pod.metadata.uid = "uid-1"
        return EventRecorder.makeEvent(
            about: pod, type: .warning, reason: reason, message: message, fieldPath: nil,
            component: "default-scheduler", host: "", now: now)
    }

    /// The queue holds 1,000 events while the writer lags; one more is dropped, and counted.
    @Test func aFullQueueDropsAndCountsTheEvent() throws {
        let recorder = EventRecorder(
            client: try RESTClient(config: RESTConfig(host: "127.0.0.1", port: 1, useTLS: false)), component: "test")
        var pod = CoreV1.Pod()
        pod.metadata.namespace = "default"
        for index in 0..<1_001 {
            pod.metadata.name = "p\(index)"
            recorder.event(pod, type: .normal, reason: "Scheduled", message: "m")
        }
        #expect(recorder.droppedEvents == 1)
    }

    @Test func aFirstEventIsCreated() {
        var correlator = EventCorrelator()
        let now = Date()
        guard case .create(let event) = correlator.correlate(Self.event("m", now: now), now: now) else {
            Issue.record("expected a create")
            return
        }
        #expect(event.count == 1 && event.metadata.name?.hasPrefix("web.") == true)
        #expect(event.involvedObject.kind == "Pod" && event.involvedObject.apiVersion == "v1")
        #expect(event.source?.component == "default-scheduler" && event.reportingComponent == "default-scheduler")
    }

    @Test(arguments: [1, 10])
    func repeatsOfTheSameEventJustCount(previous: Int) {
        var correlator = EventCorrelator()
        let now = Date()
        var firstName: String?
        for _ in 0..<previous {
            if case .create(let event) = correlator.correlate(Self.event("same", now: now), now: now) {
                firstName = event.metadata.name
            }
        }
        guard case .patch(let event) = correlator.correlate(Self.event("same", now: now), now: now) else {
            Issue.record("expected a patch")
            return
        }
        #expect(event.count == Int32(previous + 1))
        #expect(event.metadata.name == firstName)
        #expect(event.message == "same")
    }

    @Test func theTenthSimilarEventStartsACombinedOne() {
        var correlator = EventCorrelator()
        let now = Date()
        for index in 0..<9 {
            guard case .create = correlator.correlate(Self.event("message \(index)", now: now), now: now) else {
                Issue.record("expected creates for the first nine")
                return
            }
        }
        guard case .create(let combined) = correlator.correlate(Self.event("message 9", now: now), now: now) else {
            Issue.record("expected a create for the combined event")
            return
        }
        #expect(combined.message == "(combined from similar events): message 9")
        guard case .patch(let again) = correlator.correlate(Self.event("message 10", now: now), now: now) else {
            Issue.record("expected the combined event to count")
            return
        }
        #expect(again.count == 2 && again.metadata.name == combined.metadata.name)
        #expect(again.message == "(combined from similar events): message 10")
    }

    @Test func theSpamFilterDropsFloodsPerObjectAndRefills() {
        var correlator = EventCorrelator()
        let now = Date()
        var decisions: [EventCorrelator.Decision] = []
        for index in 0..<26 {
            decisions.append(correlator.correlate(Self.event("same", reason: "R\(index % 2)", now: now), now: now))
        }
        #expect(decisions.prefix(25).allSatisfy { $0 != .skip })
        #expect(decisions.last == .skip)
        // One token comes back every five minutes.
        #expect(correlator.correlate(Self.event("same", now: now), now: now.addingTimeInterval(301)) != .skip)
    }

    @Test func similarEventsOlderThanTheIntervalStartAfresh() {
        var correlator = EventCorrelator()
        let now = Date()
        for index in 0..<9 { _ = correlator.correlate(Self.event("m\(index)", now: now), now: now) }
        let later = now.addingTimeInterval(601)
        guard case .create(let event) = correlator.correlate(Self.event("m9", now: later), now: later) else {
            Issue.record("expected a plain create")
            return
        }
        #expect(event.message == "m9")
    }
}
