import KubeModel
import Synchronization

/// The store behind an informer (client-go's `cache.Indexer` over its thread-safe store):
/// objects by key (`namespace/name`, or `name` for cluster-scoped objects), plus named indexes
/// that map an indexed value to the keys of the objects that have it — by namespace always,
/// and whatever a component adds (pods by node, say). Readers see a consistent state; the
/// informer is the only writer.
public final class Indexer<Object: KubeObject>: Sendable {
    /// Index values of an object (`[namespace]`, `[spec.nodeName]`, …; empty: not indexed).
    public typealias IndexFunction = @Sendable (Object) -> [String]

    /// The index every indexer has: objects by namespace.
    public static var namespaceIndex: String { "namespace" }

    private struct State {
        var items: [String: Object] = [:]
        var functions: [String: IndexFunction] = [:]
        /// index name → indexed value → keys.
        var indices: [String: [String: Set<String>]] = [:]
    }

    private let state: Mutex<State>

    public init(indexes: [String: IndexFunction] = [:]) {
        var functions = indexes
        functions[Self.namespaceIndex] = { [$0.metadata.namespace ?? ""] }
        state = Mutex(State(functions: functions, indices: functions.mapValues { _ in [:] }))
    }

    /// client-go's `MetaNamespaceKeyFunc`.
    public static func key(of object: Object) -> String {
        key(namespace: object.metadata.namespace ?? "", name: object.metadata.name ?? "")
    }

    public static func key(namespace: String, name: String) -> String {
        namespace.isEmpty ? name : "\(namespace)/\(name)"
    }

    /// Adds or replaces the object under its key.
    public func upsert(_ object: Object) {
        let key = Self.key(of: object)
        state.withLock { state in
            let old = state.items.updateValue(object, forKey: key)
            Self.reindex(&state, key: key, old: old, new: object)
        }
    }

    public func delete(_ object: Object) { delete(key: Self.key(of: object)) }

    public func delete(key: String) {
        state.withLock { state in
            guard let old = state.items.removeValue(forKey: key) else { return }
            Self.reindex(&state, key: key, old: old, new: nil)
        }
    }

    /// Replaces everything (after a relist).
    public func replace(with objects: [Object]) {
        state.withLock { state in
            state.items = [:]
            state.indices = state.functions.mapValues { _ in [:] }
            for object in objects {
                let key = Self.key(of: object)
                state.items[key] = object
                Self.reindex(&state, key: key, old: nil, new: object)
            }
        }
    }

    public func object(forKey key: String) -> Object? { state.withLock { $0.items[key] } }

    public var keys: [String] { state.withLock { Array($0.items.keys) } }

    public var objects: [Object] { state.withLock { Array($0.items.values) } }

    public var count: Int { state.withLock { $0.items.count } }

    /// The objects whose index `index` holds `value` (client-go's `ByIndex`); empty for an
    /// unknown index.
    public func objects(index: String, value: String) -> [Object] {
        state.withLock { state in
            (state.indices[index]?[value] ?? []).compactMap { state.items[$0] }
        }
    }

    /// The values index `index` holds (client-go's `ListIndexFuncValues`).
    public func values(index: String) -> [String] {
        state.withLock { Array(($0.indices[index] ?? [:]).keys) }
    }

    private static func reindex(_ state: inout State, key: String, old: Object?, new: Object?) {
        for (name, function) in state.functions {
            let before = old.map(function) ?? []
            let after = new.map(function) ?? []
            if before == after { continue }
            for value in before {
                state.indices[name]?[value]?.remove(key)
                if state.indices[name]?[value]?.isEmpty == true { state.indices[name]?[value] = nil }
            }
            for value in after { state.indices[name, default: [:]][value, default: []].insert(key) }
        }
    }
}
