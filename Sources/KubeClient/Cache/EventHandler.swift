import KubeModel

/// What an informer tells a component about changes (client-go's `ResourceEventHandlerFuncs`).
/// Handlers run on the informer's task and must only note the change — enqueue a key — never
/// call the API or block.
public struct EventHandler<Object: KubeObject>: Sendable {
    public var onAdd: @Sendable (Object) -> Void
    /// Called with the old and new object; both are the same object on a periodic resync.
    public var onUpdate: @Sendable (Object, Object) -> Void
    /// Called with the last state the informer knew.
    public var onDelete: @Sendable (Object) -> Void

    public init(onAdd: @escaping @Sendable (Object) -> Void = { _ in },
                onUpdate: @escaping @Sendable (Object, Object) -> Void = { _, _ in },
                onDelete: @escaping @Sendable (Object) -> Void = { _ in }) {
        self.onAdd = onAdd
        self.onUpdate = onUpdate
        self.onDelete = onDelete
    }

    /// One handler for every change: `enqueue` gets the object (the new one for updates).
    public static func enqueueing(_ enqueue: @escaping @Sendable (Object) -> Void) -> EventHandler {
        EventHandler(onAdd: enqueue, onUpdate: { _, new in enqueue(new) }, onDelete: enqueue)
    }
}
