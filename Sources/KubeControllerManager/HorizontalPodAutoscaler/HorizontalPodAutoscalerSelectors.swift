import KubeModel
import Synchronization

/// The pod selectors of the known autoscalers (upstream's `hpaSelectors`): an autoscaler is
/// registered (selecting nothing) when the informer reports it, takes its target's selector on
/// each pass, and is dropped when deleted; a pass refuses to scale pods that more than one
/// autoscaler selects (`AmbiguousSelector`).
final class HorizontalPodAutoscalerSelectors: Sendable {
    private struct Entry {
        var namespace: String
        var selector: Labels.Selector
    }

    private let entries = Mutex<[String: Entry]>([:])

    /// Registers `key` (selecting nothing) unless it is known.
    func register(_ key: String) {
        let namespace = ObjectKeys.split(key).namespace
        entries.withLock { entries in
            if entries[key] == nil { entries[key] = Entry(namespace: namespace, selector: .nothing) }
        }
    }

    /// Records the selector of a registered autoscaler (an unregistered one stays unknown).
    func update(_ key: String, selector: Labels.Selector) {
        entries.withLock { entries in
            if entries[key] != nil { entries[key]?.selector = selector }
        }
    }

    func remove(_ key: String) { _ = entries.withLock { $0.removeValue(forKey: key) } }

    /// The keys (sorted) of the autoscalers in `namespace` that select any of `pods`.
    func autoscalers(selecting pods: [CoreV1.Pod], namespace: String) -> [String] {
        let labelSets = Set(pods.map { $0.metadata.labels ?? [:] })
        return entries.withLock { entries in
            entries.filter { _, entry in
                entry.namespace == namespace && labelSets.contains { entry.selector.matches($0) }
            }.keys.sorted()
        }
    }
}
