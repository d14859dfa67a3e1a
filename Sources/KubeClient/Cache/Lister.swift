import KubeModel

/// Reads an informer's ``Indexer`` the way client-go's generated listers do: everything or one
/// namespace, filtered by a label selector, or one object by name.
public struct Lister<Object: KubeObject>: Sendable {
    public let indexer: Indexer<Object>

    public init(_ indexer: Indexer<Object>) {
        self.indexer = indexer
    }

    /// Objects whose labels match `selector`, in every namespace.
    public func list(_ selector: Labels.Selector = .everything) -> [Object] {
        indexer.objects.filter { selector.matches($0.metadata.labels ?? [:]) }
    }

    /// Objects of one namespace whose labels match `selector`.
    public func list(namespace: String, _ selector: Labels.Selector = .everything) -> [Object] {
        indexer.objects(index: Indexer<Object>.namespaceIndex, value: namespace)
            .filter { selector.matches($0.metadata.labels ?? [:]) }
    }

    /// One object, nil when the cache does not hold it.
    public func get(namespace: String = "", name: String) -> Object? {
        indexer.object(forKey: Indexer<Object>.key(namespace: namespace, name: name))
    }
}
