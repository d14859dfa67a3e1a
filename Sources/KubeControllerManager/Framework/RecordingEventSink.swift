import KubeClient
import KubeModel
import Synchronization

/// An ``EventSink`` that keeps the events, for unit tests.
public final class RecordingEventSink: EventSink {
    public struct Recorded: Sendable, Equatable, CustomStringConvertible {
        public var kind: String
        public var namespace: String
        public var name: String
        public var type: String
        public var reason: String
        public var message: String

        /// `Normal SuccessfulCreate Created pod: web-abcde`, as `kubectl describe` lists them.
        public var description: String { "\(type) \(reason) \(message)" }
    }

    private let recorded = Mutex<[Recorded]>([])

    public init() {}

    public var events: [Recorded] { recorded.withLock { $0 } }

    public func event<Object: KubeObject>(_ object: Object, type: EventRecorder.EventType, reason: String, message: String) {
        let event = Recorded(kind: Object.groupVersionKind.kind, namespace: object.metadata.namespace ?? "",
                             name: object.metadata.name ?? "", type: type.rawValue, reason: reason, message: message)
        recorded.withLock { $0.append(event) }
    }
}
