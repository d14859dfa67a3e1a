import Foundation
import KubeModel

/// `kubectl get events`: LAST SEEN TYPE REASON OBJECT MESSAGE, wide SUBOBJECT SOURCE FIRST SEEN
/// COUNT NAME. Serves both `events` (core/v1) and `events.events.k8s.io` (v1, read through its
/// core/v1 counterparts as upstream's conversion does).
public struct EventTableConvertor: TableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.column("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
        Printers.column("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
        Printers.column("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        Printers.column("Object", "The object that this event is about."),
        Printers.column("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement.", priority: 1),
        Printers.column("Source", "The component reporting this event.", priority: 1),
        Printers.column("Message", "A human-readable description of the status of this operation."),
        Printers.column("First Seen", "The time at which the event was first recorded.", priority: 1),
        Printers.column("Count", "The number of times this event has occurred.", priority: 1),
        Printers.column("Name", DefaultTableConvertor.nameColumn.description, priority: 1, format: "name"),
    ]

    /// The fields the columns read, common to both event APIs.
    struct Fields {
        var name: String
        var type: String?
        var reason: String?
        var message: String?
        var regarding: CoreV1.ObjectReference?
        var source: CoreV1.EventSource?
        var reportingController: String?
        var reportingInstance: String?
        var firstTimestamp: MetaV1.Time?
        var lastTimestamp: MetaV1.Time?
        var eventTime: MetaV1.MicroTime?
        var count: Int32?
        var series: (count: Int32, lastObserved: MetaV1.MicroTime?)?
    }

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        if let event = object as? CoreV1.Event {
            return Self.row(Fields(
                name: event.metadata.name ?? "", type: event.type, reason: event.reason, message: event.message,
                regarding: event.involvedObject, source: event.source,
                reportingController: event.reportingComponent, reportingInstance: event.reportingInstance,
                firstTimestamp: event.firstTimestamp, lastTimestamp: event.lastTimestamp, eventTime: event.eventTime,
                count: event.count, series: event.series.map { ($0.count ?? 0, $0.lastObservedTime) }), now: now)
        }
        if let event = object as? EventsV1.Event {
            return Self.row(Fields(
                name: event.metadata.name ?? "", type: event.type, reason: event.reason, message: event.note,
                regarding: event.regarding, source: event.deprecatedSource,
                reportingController: event.reportingController, reportingInstance: event.reportingInstance,
                firstTimestamp: event.deprecatedFirstTimestamp, lastTimestamp: event.deprecatedLastTimestamp,
                eventTime: event.eventTime, count: event.deprecatedCount,
                series: event.series.map { ($0.count, $0.lastObservedTime) }), now: now)
        }
        return Printers.placeholderRow(for: object, columns: columns, now: now)
    }

    static func row(_ event: Fields, now: Date) -> [JSONValue] {
        let firstSeen = event.firstTimestamp != nil
            ? Printers.since(event.firstTimestamp, now: now)
            : Printers.since(event.eventTime, now: now)
        var lastSeen = event.lastTimestamp != nil ? Printers.since(event.lastTimestamp, now: now) : firstSeen
        var count = event.count ?? 0
        if let series = event.series {
            lastSeen = Printers.since(series.lastObserved, now: now)
            count = series.count
        } else if count == 0 {
            // Singleton events of the new API carry no count.
            count = 1
        }
        let kind = (event.regarding?.kind ?? "").lowercased()
        let target = (event.regarding?.name ?? "").isEmpty ? kind : "\(kind)/\(event.regarding?.name ?? "")"
        return [
            .string(lastSeen),
            .string(event.type ?? ""),
            .string(event.reason ?? ""),
            .string(target),
            .string(event.regarding?.fieldPath ?? ""),
            .string(source(event)),
            .string((event.message ?? "").trimmingCharacters(in: .whitespacesAndNewlines)),
            .string(firstSeen),
            .int(Int64(count)),
            .string(event.name),
        ]
    }

    /// `component, host`, falling back to the reporting controller and instance.
    static func source(_ event: Fields) -> String {
        func firstNonEmpty(_ a: String?, _ b: String?) -> String {
            if let a, !a.isEmpty { return a }
            return b ?? ""
        }
        let component = firstNonEmpty(event.source?.component, event.reportingController)
        let instance = firstNonEmpty(event.source?.host, event.reportingInstance)
        return instance.isEmpty ? component : "\(component), \(instance)"
    }
}
