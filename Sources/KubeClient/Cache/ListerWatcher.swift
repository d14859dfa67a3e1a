import KubeModel

/// What an ``Informer`` lists and watches (client-go's `cache.ListerWatcher`): the API through a
/// ``ResourceClient``, or anything else that keeps the same contract — a list answers a
/// resourceVersion, and a watch from it delivers every later change in order, or an
/// `error` event / ``StatusError`` with 410 when that version is no longer available.
public protocol ListerWatcher<Object>: Sendable {
    associatedtype Object: KubeObject
    func list(_ options: ListOptions) async throws -> ObjectList<Object>
    /// Watches from `options.resourceVersion` and runs `body` with the events until it returns.
    func watch(_ options: ListOptions, _ body: (any AsyncSequence<WatchEvent<Object>, any Error>) async throws -> Void) async throws
}

extension ResourceClient: ListerWatcher {
    public func watch(_ options: ListOptions, _ body: (any AsyncSequence<WatchEvent<Object>, any Error>) async throws -> Void) async throws {
        try await watch(options) { (events: WatchEvents<Object>) in try await body(events) }
    }
}
