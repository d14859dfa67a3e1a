import KubeClient
@testable import KubeControllerManager
import KubeModel
import Logging

/// What a controller's unit test drives it with: informers whose caches the test fills
/// directly (they never run: the REST client points nowhere), a ``RecordingObjectClient``
/// and a ``RecordingEventSink``.
struct ControllerTestHarness {
    let informers: InformerFactory
    let client: RecordingObjectClient
    let events = RecordingEventSink()

    init(objects: [any KubeObject] = []) {
        // Never connected: the informers' caches are filled by the test.
        let rest = try! RESTClient(config: RESTConfig(host: "127.0.0.1", port: 1, useTLS: false))
        informers = InformerFactory(client: rest)
        client = RecordingObjectClient(objects: objects)
    }

    var context: ControllerContext {
        ControllerContext(informers: informers, client: client, events: events, logger: Logger(label: "test"))
    }

    /// Puts `objects` into their informers' caches (as if the informer had listed them).
    func cache<Object: KubeObject>(_ objects: Object...) {
        let indexer = informers.informer(Object.self).indexer
        for object in objects { indexer.upsert(object) }
    }
}
