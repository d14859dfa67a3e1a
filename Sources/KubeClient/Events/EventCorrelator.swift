import Foundation
import KubeModel

/// client-go's `EventCorrelator`, without I/O: decides for each new event whether it is
/// written as a new Event, folded into an earlier identical one (its count goes up and it is
/// patched), merged into a "(combined from similar events)" event when one object keeps
/// getting many events that differ only in message, or dropped by the per-object spam filter.
public struct EventCorrelator: Sendable {
    /// What to do with an event.
    public enum Decision: Sendable, Equatable {
        /// POST this new event.
        case create(CoreV1.Event)
        /// PATCH the existing event of this name with the new count, message and lastTimestamp.
        case patch(CoreV1.Event)
        /// Too many events about one object: drop it.
        case skip
    }

    /// Distinct messages for one (object, reason) within `aggregateInterval` before they are combined.
    public var aggregateMaxEvents = 10
    public var aggregateInterval: Duration = .seconds(600)
    /// Per-object token bucket: 25 events at once, then one per five minutes.
    public var spamBurst = 25
    public var spamRefillInterval: Duration = .seconds(300)
    /// Entries kept per cache before the oldest are forgotten (client-go uses 4096 LRUs).
    public var cacheLimit = 4096

    private struct AggregateRecord {
        var messages: Set<String>
        var lastSeen: Date
    }

    private struct LoggedEvent {
        var name: String
        var count: Int32
        var firstTimestamp: MetaV1.Time?
        var lastSeen: Date
    }

    private struct SpamBucket {
        var tokens: Double
        var lastRefill: Date
    }

    private var aggregates: [String: AggregateRecord] = [:]
    private var logged: [String: LoggedEvent] = [:]
    private var spam: [String: SpamBucket] = [:]

    public init() {}

    public mutating func correlate(_ event: CoreV1.Event, now: Date) -> Decision {
        guard allow(event, now: now) else { return .skip }
        var event = event
        let (aggregateKey, message) = (Self.aggregateKey(event), event.message ?? "")
        var record = aggregates[aggregateKey] ?? AggregateRecord(messages: [], lastSeen: now)
        if now.timeIntervalSince(record.lastSeen) > aggregateInterval.seconds { record.messages = [] }
        record.messages.insert(message)
        record.lastSeen = now
        aggregates[aggregateKey] = record
        if record.messages.count >= aggregateMaxEvents {
            // Every further distinct message lands on one combined event.
            event.message = "(combined from similar events): \(message)"
            return log(event, key: aggregateKey + "\u{0}combined", now: now)
        }
        return log(event, key: Self.eventKey(event), now: now)
    }

    private mutating func log(_ event: CoreV1.Event, key: String, now: Date) -> Decision {
        var event = event
        trim(&logged)
        if var previous = logged[key] {
            previous.count += 1
            previous.lastSeen = now
            logged[key] = previous
            event.metadata.name = previous.name
            event.count = previous.count
            event.firstTimestamp = previous.firstTimestamp
            return .patch(event)
        }
        logged[key] = LoggedEvent(
            name: event.metadata.name ?? "", count: event.count ?? 1, firstTimestamp: event.firstTimestamp, lastSeen: now)
        return .create(event)
    }

    /// A create or patch failed for good: forget it so the next occurrence starts afresh.
    public mutating func forget(_ event: CoreV1.Event) {
        logged = logged.filter { $0.value.name != event.metadata.name }
    }

    private mutating func allow(_ event: CoreV1.Event, now: Date) -> Bool {
        let key = Self.spamKey(event)
        trim(&spam)
        var bucket = spam[key] ?? SpamBucket(tokens: Double(spamBurst), lastRefill: now)
        let refill = now.timeIntervalSince(bucket.lastRefill) / spamRefillInterval.seconds
        bucket.tokens = min(Double(spamBurst), bucket.tokens + refill)
        bucket.lastRefill = now
        let allowed = bucket.tokens >= 1
        if allowed { bucket.tokens -= 1 }
        spam[key] = bucket
        return allowed
    }

    private func trim<Value>(_ cache: inout [String: Value]) {
        if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
    }

    /// Source, object, type, reason and reporter: events that differ only in message.
    static func aggregateKey(_ event: CoreV1.Event) -> String {
        let object = event.involvedObject
        return [event.source?.component, event.source?.host, object.kind, object.namespace, object.name, object.uid,
                object.apiVersion, event.type, event.reason, event.reportingComponent, event.reportingInstance]
            .map { $0 ?? "" }.joined(separator: "\u{0}")
    }

    /// Everything that makes two events the same event (client-go's `getEventKey`).
    static func eventKey(_ event: CoreV1.Event) -> String {
        let object = event.involvedObject
        return [event.source?.component, event.source?.host, object.kind, object.namespace, object.name,
                object.fieldPath, object.uid, object.apiVersion, event.type, event.reason, event.message]
            .map { $0 ?? "" }.joined(separator: "\u{0}")
    }

    /// The spam filter counts per source and object.
    static func spamKey(_ event: CoreV1.Event) -> String {
        let object = event.involvedObject
        return [event.source?.component, event.source?.host, object.kind, object.namespace, object.name,
                object.uid, object.apiVersion].map { $0 ?? "" }.joined(separator: "\u{0}")
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
