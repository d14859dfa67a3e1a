import KubeClient
import KubeModel
import Logging

/// One of the controller manager's controllers (upstream's `kube-controller-manager`
/// controllers, each its own small unit). A controller registers its informer handlers when it
/// is made; ``run(workers:)`` then reconciles keys until the task is cancelled. The shared
/// informers are started (and synced) by the ``ControllerManager`` before `run` is called.
public protocol Controller: Sendable {
    /// Upstream's controller name (`replicaset-controller`, `garbage-collector-controller`).
    var name: String { get }
    func run(workers: Int) async
}

/// What every controller is made from: the shared informers, the client it writes through, an
/// event sink and a logger.
public struct ControllerContext: Sendable {
    public let informers: InformerFactory
    public let client: any ObjectClient
    public let events: any EventSink
    public let logger: Logger
    /// The manager's settings (cluster CIDR, node monitor periods, …).
    public let configuration: ControllerManager.Configuration

    public init(informers: InformerFactory, client: any ObjectClient, events: any EventSink, logger: Logger,
                configuration: ControllerManager.Configuration = ControllerManager.Configuration()) {
        self.informers = informers
        self.client = client
        self.events = events
        self.logger = logger
        self.configuration = configuration
    }
}

/// Where controllers report Events (``EventRecorder`` in the manager, ``RecordingEventSink`` in tests).
public protocol EventSink: Sendable {
    func event<Object: KubeObject>(_ object: Object, type: EventRecorder.EventType, reason: String, message: String)
}

extension EventRecorder: EventSink {
    public func event<Object: KubeObject>(_ object: Object, type: EventType, reason: String, message: String) {
        event(object, type: type, reason: reason, message: message, fieldPath: nil)
    }
}
