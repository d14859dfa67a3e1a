import KubeModel

/// One parsed pod (anti-)affinity term (upstream's `framework.AffinityTerm`): the pods it
/// selects (by namespace and labels) and the topology key it spreads over.
public struct AffinityTerm: Sendable {
    /// Namespaces named by the term; the pod's own namespace when the term names none and has
    /// no namespace selector.
    public var namespaces: Set<String>
    public var selector: Labels.Selector
    /// `nothing` when the term has no namespace selector.
    public var namespaceSelector: Labels.Selector
    public var topologyKey: String

    public init(namespaces: Set<String>, selector: Labels.Selector, namespaceSelector: Labels.Selector, topologyKey: String) {
        self.namespaces = namespaces
        self.selector = selector
        self.namespaceSelector = namespaceSelector
        self.topologyKey = topologyKey
    }

    /// Upstream `newAffinityTerm`, for a term declared by `pod`.
    public init(_ term: CoreV1.PodAffinityTerm, of pod: CoreV1.Pod) throws(Labels.SelectorError) {
        selector = try Labels.Selector(term.labelSelector)
        namespaceSelector = try Labels.Selector(term.namespaceSelector)
        let named = term.namespaces ?? []
        if named.isEmpty && term.namespaceSelector == nil {
            namespaces = [pod.metadata.namespace ?? ""]
        } else {
            namespaces = Set(named)
        }
        topologyKey = term.topologyKey
    }

    /// Whether the term selects a pod in `namespace` with `labels` (upstream `AffinityTerm.Matches`);
    /// `namespaceLabels` are the labels of that namespace, when known.
    public func matches(namespace: String, labels: [String: String], namespaceLabels: [String: String]?) -> Bool {
        guard namespaces.contains(namespace) || namespaceSelector.matches(namespaceLabels ?? [:]) else { return false }
        return selector.matches(labels)
    }

    /// Whether the term could select pods by namespace labels (needs a namespace lookup).
    public var usesNamespaceSelector: Bool { !namespaceSelector.matchesNothing }
}

public struct WeightedAffinityTerm: Sendable {
    public var term: AffinityTerm
    public var weight: Int32
}

/// A pod's parsed pod affinity and anti-affinity terms (upstream keeps them on `PodInfo`).
public struct PodAffinityTerms: Sendable {
    public var requiredAffinity: [AffinityTerm] = []
    public var requiredAntiAffinity: [AffinityTerm] = []
    public var preferredAffinity: [WeightedAffinityTerm] = []
    public var preferredAntiAffinity: [WeightedAffinityTerm] = []
    /// Set when a term's selector did not parse; the terms that did are kept.
    public var parseError: String?

    public init() {}

    public init(_ pod: CoreV1.Pod) {
        guard let affinity = pod.spec.affinity else { return }
        var firstError: String?
        func parse(_ terms: [CoreV1.PodAffinityTerm]?) -> [AffinityTerm] {
            (terms ?? []).compactMap { term in
                do { return try AffinityTerm(term, of: pod) } catch {
                    if firstError == nil { firstError = String(describing: error) }
                    return nil
                }
            }
        }
        func parseWeighted(_ terms: [CoreV1.WeightedPodAffinityTerm]?) -> [WeightedAffinityTerm] {
            (terms ?? []).compactMap { weighted in
                do { return WeightedAffinityTerm(term: try AffinityTerm(weighted.podAffinityTerm, of: pod), weight: weighted.weight) } catch {
                    if firstError == nil { firstError = String(describing: error) }
                    return nil
                }
            }
        }
        requiredAffinity = parse(affinity.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution)
        requiredAntiAffinity = parse(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution)
        preferredAffinity = parseWeighted(affinity.podAffinity?.preferredDuringSchedulingIgnoredDuringExecution)
        preferredAntiAffinity = parseWeighted(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution)
        parseError = firstError
    }
}
