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

extension ListerWatcher {
    /// Lists every page from `options`, following the `continue` tokens (a resourceVersion
    /// applies to the first page only: the token carries it on, as client-go's pager does), hands
    /// each page's objects to `body`, and returns the list's resourceVersion (to watch on from).
    @discardableResult
    public func listPages(_ options: ListOptions, _ body: ([Object]) throws -> Void) async throws -> String {
        var options = options
        var resourceVersion: String?
        repeat {
            let page = try await list(options)
            try body(page.items)
            if resourceVersion == nil { resourceVersion = page.metadata.resourceVersion ?? "" }
            options.continueToken = page.metadata.continue
            options.resourceVersion = nil
        } while !(options.continueToken ?? "").isEmpty
        return resourceVersion ?? ""
    }
}
