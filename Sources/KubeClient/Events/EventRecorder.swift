import Foundation
import KubeModel
import Logging
import Synchronization

/// Records core/v1 Events about objects, as client-go's `record.EventRecorder` with its
/// broadcaster: callers never wait (events queue up, at most 1,000, further ones are
/// dropped), and ``run()`` correlates them (repeats become a count, floods get combined or
/// dropped — see ``EventCorrelator``) and writes them, retrying failed writes. The broadcaster
/// of `record` writes one event at a time; kube-scheduler's (`tools/events`) writes each in a
/// goroutine of its own, so it keeps up with a scheduler binding thousands of pods a second:
/// `writeConcurrency` says how many writes may be in flight at once.
public final class EventRecorder: Sendable {
    public enum EventType: String, Sendable {
        case normal = "Normal"
        case warning = "Warning"
    }

    public let component: String
    public let host: String
    private let client: RESTClient
    private let logger: Logger
    private let stream: AsyncStream<CoreV1.Event>
    private let continuation: AsyncStream<CoreV1.Event>.Continuation
    /// Attempts per event and the pause between them (client-go: 12 tries, 10 s apart).
    private let maxAttempts: Int
    private let retryDelay: Duration
    private let writeConcurrency: Int
    private let dropped = Atomic<Int>(0)

    /// Events dropped because the queue was full (each also logged, as client-go logs them).
    public var droppedEvents: Int { dropped.load(ordering: .relaxed) }

    public init(client: RESTClient, component: String, host: String = "", logger: Logger = Logger(label: "skiff.events"),
                maxAttempts: Int = 12, retryDelay: Duration = .seconds(10), writeConcurrency: Int = 1) {
        self.client = client
        self.writeConcurrency = max(1, writeConcurrency)
        self.component = component
        self.host = host
        self.logger = logger
        self.maxAttempts = maxAttempts
        self.retryDelay = retryDelay
        (stream, continuation) = AsyncStream.makeStream(of: CoreV1.Event.self, bufferingPolicy: .bufferingOldest(1000))
    }

    /// Queues an event about `object` (`reason` in UpperCamelCase, as upstream's are).
    public func event<Object: KubeObject>(_ object: Object, type: EventType, reason: String, message: String,
                                          fieldPath: String? = nil, now: Date = Date()) {
        let event = Self.makeEvent(
            about: object, type: type, reason: reason, message: message, fieldPath: fieldPath,
            component: component, host: host, now: now)
        if case .dropped = continuation.yield(event) {
            dropped.add(1, ordering: .relaxed)
            // As client-go's broadcaster says when its queue is full.
            logger.error("unable to record event: too many queued events, dropped event",
                         metadata: ["object": "\(event.involvedObject.namespace ?? "")/\(event.involvedObject.name ?? "")",
                                    "reason": "\(reason)"])
        }
    }

    /// Writes queued events until the task is cancelled or ``finish()`` is called and the queue drained.
    public func run() async {
        var correlator = EventCorrelator()
        func settle(_ decision: EventCorrelator.Decision, written: Bool) {
            guard !written else { return }
            if case .create(let event) = decision { correlator.forget(event) }
            if case .patch(let event) = decision { correlator.forget(event) }
        }
        await withTaskGroup(of: (EventCorrelator.Decision, Bool).self) { group in
            var inFlight = 0
            for await event in stream {
                let decision = correlator.correlate(event, now: Date())
                if inFlight == writeConcurrency, let (done, written) = await group.next() {
                    inFlight -= 1
                    settle(done, written: written)
                }
                group.addTask { (decision, await self.write(decision)) }
                inFlight += 1
            }
            for await (done, written) in group { settle(done, written: written) }
        }
    }

    /// Stops accepting events; ``run()`` returns once the queue is written.
    public func finish() { continuation.finish() }

    static func makeEvent<Object: KubeObject>(
        about object: Object, type: EventType, reason: String, message: String, fieldPath: String?,
        component: String, host: String, now: Date
    ) -> CoreV1.Event {
        let gvk = Object.groupVersionKind
        let name = object.metadata.name ?? ""
        let nanos = UInt64(max(0, now.timeIntervalSince1970 * 1_000_000_000))
        let namespace = object.metadata.namespace.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
        return CoreV1.Event(
            count: 1, firstTimestamp: MetaV1.Time(now),
            involvedObject: CoreV1.ObjectReference(
                apiVersion: gvk.apiVersion, fieldPath: fieldPath, kind: gvk.kind, name: name,
                namespace: object.metadata.namespace, resourceVersion: object.metadata.resourceVersion,
                uid: object.metadata.uid),
            lastTimestamp: MetaV1.Time(now), message: message,
            metadata: MetaV1.ObjectMeta(name: "\(name).\(String(nanos, radix: 16))", namespace: namespace),
            reason: reason, reportingComponent: component, reportingInstance: host,
            source: CoreV1.EventSource(component: component, host: host.isEmpty ? nil : host), type: type.rawValue)
    }

    /// One decision written, with retries; false if it could not be.
    private func write(_ decision: EventCorrelator.Decision) async -> Bool {
        for attempt in 1...maxAttempts {
            do {
                try await send(decision)
                return true
            } catch let error as StatusError where error.isAlreadyExists || error.isInvalid || error.code == 403 {
                logger.debug("event rejected", metadata: ["error": "\(error)"])
                return false
            } catch is CancellationError {
                return false
            } catch {
                logger.debug("event write failed", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                if attempt == maxAttempts { return false }
                do { try await Task.sleep(for: retryDelay) } catch { return false }
            }
        }
        return false
    }

    private func send(_ decision: EventCorrelator.Decision) async throws {
        switch decision {
        case .skip:
            return
        case .create(let event):
            try await client.resource(CoreV1.Event.self, namespace: event.metadata.namespace).createWithoutResult(event)
        case .patch(let event):
            let events = client.resource(CoreV1.Event.self, namespace: event.metadata.namespace)
            var patch: [String: JSONValue] = ["count": .int(Int64(event.count ?? 1))]
            if let message = event.message { patch["message"] = .string(message) }
            if let last = event.lastTimestamp { patch["lastTimestamp"] = .string(last.rfc3339) }
            do {
                _ = try await events.patch(
                    event.metadata.name ?? "", type: "application/strategic-merge-patch+json",
                    body: Array(try JSONEncoder().encode(JSONValue.object(patch))))
            } catch let error as StatusError where error.isNotFound {
                var fresh = event
                fresh.metadata.resourceVersion = nil
                try await events.createWithoutResult(fresh)
            }
        }
    }
}
