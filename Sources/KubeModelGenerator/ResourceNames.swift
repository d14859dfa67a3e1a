/// Facts about the built-in resources that the OpenAPI schema does not carry: short names,
/// categories and discovery priorities. They come from upstream's registry code
/// (`pkg/registry/*/*/storage` `ShortNames()`/`Categories()`, apiextensions-apiserver's CRD
/// storage) and kube-aggregator's `DefaultGenericAPIServicePriorities`.
///
/// Keys are group-resources as upstream prints them: `pods` (core), `deployments.apps`.
enum ResourceNames {
    /// `ShortNames()` of each built-in resource's storage (resources without short names are absent).
    static let shortNames: [String: [String]] = [
        // core
        "componentstatuses": ["cs"],
        "configmaps": ["cm"],
        "endpoints": ["ep"],
        "events": ["ev"],
        "limitranges": ["limits"],
        "namespaces": ["ns"],
        "nodes": ["no"],
        "persistentvolumeclaims": ["pvc"],
        "persistentvolumes": ["pv"],
        "pods": ["po"],
        "replicationcontrollers": ["rc"],
        "resourcequotas": ["quota"],
        "serviceaccounts": ["sa"],
        "services": ["svc"],
        // apps
        "daemonsets.apps": ["ds"],
        "deployments.apps": ["deploy"],
        "replicasets.apps": ["rs"],
        "statefulsets.apps": ["sts"],
        // autoscaling, batch, policy, scheduling
        "horizontalpodautoscalers.autoscaling": ["hpa"],
        "cronjobs.batch": ["cj"],
        "poddisruptionbudgets.policy": ["pdb"],
        "priorityclasses.scheduling.k8s.io": ["pc"],
        // networking
        "ingresses.networking.k8s.io": ["ing"],
        "ipaddresses.networking.k8s.io": ["ip"],
        "networkpolicies.networking.k8s.io": ["netpol"],
        // events.k8s.io shares the core event storage, short name included
        "events.events.k8s.io": ["ev"],
        // storage
        "storageclasses.storage.k8s.io": ["sc"],
        "volumeattributesclasses.storage.k8s.io": ["vac"],
        // certificates, apiextensions
        "certificatesigningrequests.certificates.k8s.io": ["csr"],
        "customresourcedefinitions.apiextensions.k8s.io": ["crd", "crds"],
    ]

    /// `Categories()` of each built-in resource's storage (resources without categories are absent).
    static let categories: [String: [String]] = [
        "pods": ["all"],
        "replicationcontrollers": ["all"],
        "services": ["all"],
        "daemonsets.apps": ["all"],
        "deployments.apps": ["all"],
        "replicasets.apps": ["all"],
        "statefulsets.apps": ["all"],
        "horizontalpodautoscalers.autoscaling": ["all"],
        "cronjobs.batch": ["all"],
        "jobs.batch": ["all"],
        "customresourcedefinitions.apiextensions.k8s.io": ["api-extensions"],
        "mutatingadmissionpolicies.admissionregistration.k8s.io": ["api-extensions"],
        "mutatingadmissionpolicybindings.admissionregistration.k8s.io": ["api-extensions"],
        "mutatingwebhookconfigurations.admissionregistration.k8s.io": ["api-extensions"],
        "validatingadmissionpolicies.admissionregistration.k8s.io": ["api-extensions"],
        "validatingadmissionpolicybindings.admissionregistration.k8s.io": ["api-extensions"],
        "validatingwebhookconfigurations.admissionregistration.k8s.io": ["api-extensions"],
    ]

    /// Group order in discovery (`groupPriorityMinimum`, higher first); ties sort by name.
    static let groupPriorities: [String: Int] = [
        "": 18000,
        "apps": 17800,
        "events.k8s.io": 17750,
        "authentication.k8s.io": 17700,
        "authorization.k8s.io": 17600,
        "autoscaling": 17500,
        "batch": 17400,
        "certificates.k8s.io": 17300,
        "networking.k8s.io": 17200,
        "policy": 17100,
        "rbac.authorization.k8s.io": 17000,
        "storage.k8s.io": 16800,
        "apiextensions.k8s.io": 16700,
        "admissionregistration.k8s.io": 16700,
        "scheduling.k8s.io": 16600,
        "coordination.k8s.io": 16500,
        "node.k8s.io": 16300,
        "discovery.k8s.io": 16200,
        "flowcontrol.apiserver.k8s.io": 16100,
    ]

    /// `resource` or `resource.group`, upstream's `GroupResource.String()`.
    static func groupResource(_ resource: String, group: String) -> String {
        group.isEmpty ? resource : "\(resource).\(group)"
    }

    /// Kubernetes version order within a group: GA before beta before alpha, then higher numbers
    /// first (`v2` > `v1` > `v1beta2` > `v1beta1` > `v1alpha1`) — the order upstream's
    /// `versionPriority` values give the built-in groups.
    static func versionPrecedes(_ a: String, _ b: String) -> Bool {
        let ka = versionKey(a), kb = versionKey(b)
        if ka.stability != kb.stability { return ka.stability > kb.stability }
        if ka.major != kb.major { return ka.major > kb.major }
        if ka.minor != kb.minor { return ka.minor > kb.minor }
        return a < b
    }

    private static func versionKey(_ v: String) -> (stability: Int, major: Int, minor: Int) {
        guard v.hasPrefix("v") else { return (-1, 0, 0) }
        let body = v.dropFirst()
        let digits = body.prefix { $0.isNumber }
        guard let major = Int(digits) else { return (-1, 0, 0) }
        let rest = body.dropFirst(digits.count)
        if rest.isEmpty { return (3, major, 0) }
        for (tag, stability) in [("beta", 2), ("alpha", 1)] where rest.hasPrefix(tag) {
            if let minor = Int(rest.dropFirst(tag.count)) { return (stability, major, minor) }
        }
        return (-1, 0, 0)
    }
}
