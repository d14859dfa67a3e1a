import KubeClient
import KubeModel

/// A ``ListerWatcher`` that lists and watches only the objects matching a field selector, for an
/// informer of part of a resource (kubelet's pods informer: `spec.nodeName=<node>`; the fleet's:
/// `spec.nodeName!=`, every bound pod).
struct FieldSelectedSource<Object: KubeObject>: ListerWatcher {
    let client: ResourceClient<Object>
    let fieldSelector: String

    func list(_ options: ListOptions) async throws -> ObjectList<Object> {
        try await client.list(selected(options))
    }

    func watch(_ options: ListOptions,
               _ body: (any AsyncSequence<WatchEvent<Object>, any Error>) async throws -> Void) async throws {
        try await client.watch(selected(options)) { (events: WatchEvents<Object>) in try await body(events) }
    }

    private func selected(_ options: ListOptions) -> ListOptions {
        var options = options
        options.fieldSelector = fieldSelector
        return options
    }
}
