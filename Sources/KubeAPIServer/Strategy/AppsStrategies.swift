import KubeModel

/// Deployments: upstream's defaults (1 replica, RollingUpdate 25%/25%, 10 revisions kept,
/// 600 s progress deadline) and validation; the selector is immutable.
struct DeploymentStrategy: KindStrategy {
    func applyDefaults(_ d: inout AppsV1.Deployment) {
        if d.spec.replicas == nil { d.spec.replicas = 1 }
        var strategy = d.spec.strategy ?? AppsV1.DeploymentStrategy()
        if (strategy.type ?? "").isEmpty { strategy.type = "RollingUpdate" }
        if strategy.type == "RollingUpdate" {
            var rolling = strategy.rollingUpdate ?? AppsV1.RollingUpdateDeployment()
            if rolling.maxUnavailable == nil { rolling.maxUnavailable = .string("25%") }
            if rolling.maxSurge == nil { rolling.maxSurge = .string("25%") }
            strategy.rollingUpdate = rolling
        }
        d.spec.strategy = strategy
        if d.spec.revisionHistoryLimit == nil { d.spec.revisionHistoryLimit = 10 }
        if d.spec.progressDeadlineSeconds == nil { d.spec.progressDeadlineSeconds = 600 }
        PodSpecDefaults.applyTemplate(&d.spec.template)
    }

    func prepareForCreate(_ d: inout AppsV1.Deployment) { d.status = AppsV1.DeploymentStatus() }

    func validate(_ d: AppsV1.Deployment) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(d.metadata)
        causes += WorkloadValidation.nonNegative(d.spec.replicas, spec.child("replicas"))
        causes += WorkloadValidation.validateSelector(d.spec.selector, template: d.spec.template, path: spec)
        causes += WorkloadValidation.validateTemplate(d.spec.template, path: spec, restartPolicies: ["Always"])
        causes += WorkloadValidation.nonNegative(d.spec.minReadySeconds, spec.child("minReadySeconds"))
        causes += WorkloadValidation.nonNegative(d.spec.revisionHistoryLimit, spec.child("revisionHistoryLimit"))
        if let strategy = d.spec.strategy {
            let strategyPath = spec.child("strategy")
            let type = strategy.type ?? ""
            if !["Recreate", "RollingUpdate"].contains(type) {
                causes.append(.notSupported(strategyPath.child("type"), type, ["Recreate", "RollingUpdate"]))
            }
            if type == "Recreate" && strategy.rollingUpdate != nil {
                causes.append(.forbidden(strategyPath.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"))
            }
            if let rolling = strategy.rollingUpdate, type == "RollingUpdate" {
                let rollingPath = strategyPath.child("rollingUpdate")
                causes += WorkloadValidation.validateIntOrPercent(rolling.maxUnavailable, rollingPath.child("maxUnavailable"))
                causes += WorkloadValidation.validateIntOrPercent(rolling.maxSurge, rollingPath.child("maxSurge"))
                if WorkloadValidation.isZero(rolling.maxUnavailable) && WorkloadValidation.isZero(rolling.maxSurge) {
                    causes.append(.invalid(rollingPath.child("maxUnavailable"), 0, "may not be 0 when `maxSurge` is 0"))
                }
            }
        }
        if let deadline = d.spec.progressDeadlineSeconds, deadline <= (d.spec.minReadySeconds ?? 0) {
            causes.append(.invalid(spec.child("progressDeadlineSeconds"), Int64(deadline), "must be greater than minReadySeconds"))
        }
        return causes
    }

    func prepareForUpdate(_ d: inout AppsV1.Deployment, old: AppsV1.Deployment) { d.status = old.status }

    func validateUpdate(_ d: AppsV1.Deployment, old: AppsV1.Deployment) -> [APIError.FieldCause] {
        validate(d) + WorkloadValidation.immutableSelector(d.spec.selector, old.spec.selector, ValidationPath("spec"))
    }
}

/// ReplicaSets: 1 replica by default; selector immutable.
struct ReplicaSetStrategy: KindStrategy {
    func applyDefaults(_ rs: inout AppsV1.ReplicaSet) {
        if rs.spec.replicas == nil { rs.spec.replicas = 1 }
        if var template = rs.spec.template {
            PodSpecDefaults.applyTemplate(&template)
            rs.spec.template = template
        }
    }

    func prepareForCreate(_ rs: inout AppsV1.ReplicaSet) { rs.status = AppsV1.ReplicaSetStatus(replicas: 0) }

    func validate(_ rs: AppsV1.ReplicaSet) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(rs.metadata)
        causes += WorkloadValidation.nonNegative(rs.spec.replicas, spec.child("replicas"))
        causes += WorkloadValidation.validateSelector(rs.spec.selector, template: rs.spec.template, path: spec)
        causes += WorkloadValidation.validateTemplate(rs.spec.template, path: spec, restartPolicies: ["Always"])
        return causes
    }

    func prepareForUpdate(_ rs: inout AppsV1.ReplicaSet, old: AppsV1.ReplicaSet) { rs.status = old.status }

    func validateUpdate(_ rs: AppsV1.ReplicaSet, old: AppsV1.ReplicaSet) -> [APIError.FieldCause] {
        validate(rs) + WorkloadValidation.immutableSelector(rs.spec.selector, old.spec.selector, ValidationPath("spec"))
    }
}

/// StatefulSets: upstream's defaults (OrderedReady, RollingUpdate with partition 0, Retain
/// claims, 10 revisions); only replicas, template, update strategy, ordinals, claim retention
/// and minReadySeconds may change.
struct StatefulSetStrategy: KindStrategy {
    func applyDefaults(_ s: inout AppsV1.StatefulSet) {
        if s.spec.replicas == nil { s.spec.replicas = 1 }
        if (s.spec.podManagementPolicy ?? "").isEmpty { s.spec.podManagementPolicy = "OrderedReady" }
        var update = s.spec.updateStrategy ?? AppsV1.StatefulSetUpdateStrategy()
        if (update.type ?? "").isEmpty { update.type = "RollingUpdate" }
        if update.type == "RollingUpdate" {
            var rolling = update.rollingUpdate ?? AppsV1.RollingUpdateStatefulSetStrategy()
            if rolling.partition == nil { rolling.partition = 0 }
            update.rollingUpdate = rolling
        }
        s.spec.updateStrategy = update
        if s.spec.revisionHistoryLimit == nil { s.spec.revisionHistoryLimit = 10 }
        var retention = s.spec.persistentVolumeClaimRetentionPolicy ?? AppsV1.StatefulSetPersistentVolumeClaimRetentionPolicy()
        if (retention.whenDeleted ?? "").isEmpty { retention.whenDeleted = "Retain" }
        if (retention.whenScaled ?? "").isEmpty { retention.whenScaled = "Retain" }
        s.spec.persistentVolumeClaimRetentionPolicy = retention
        PodSpecDefaults.applyTemplate(&s.spec.template)
    }

    func prepareForCreate(_ s: inout AppsV1.StatefulSet) { s.status = AppsV1.StatefulSetStatus(replicas: 0) }

    func validate(_ s: AppsV1.StatefulSet) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(s.metadata)
        causes += WorkloadValidation.nonNegative(s.spec.replicas, spec.child("replicas"))
        causes += WorkloadValidation.validateSelector(s.spec.selector, template: s.spec.template, path: spec)
        causes += WorkloadValidation.validateTemplate(s.spec.template, path: spec, restartPolicies: ["Always"])
        if let policy = s.spec.podManagementPolicy, !["OrderedReady", "Parallel"].contains(policy) {
            causes.append(.notSupported(spec.child("podManagementPolicy"), policy, ["OrderedReady", "Parallel"]))
        }
        if let type = s.spec.updateStrategy?.type, !["OnDelete", "RollingUpdate"].contains(type) {
            causes.append(.notSupported(spec.child("updateStrategy").child("type"), type, ["OnDelete", "RollingUpdate"]))
        }
        causes += WorkloadValidation.nonNegative(s.spec.updateStrategy?.rollingUpdate?.partition,
                                                 spec.child("updateStrategy").child("rollingUpdate").child("partition"))
        return causes
    }

    func prepareForUpdate(_ s: inout AppsV1.StatefulSet, old: AppsV1.StatefulSet) { s.status = old.status }

    func validateUpdate(_ s: AppsV1.StatefulSet, old: AppsV1.StatefulSet) -> [APIError.FieldCause] {
        var causes = validate(s)
        var comparable = s.spec
        comparable.replicas = old.spec.replicas
        comparable.template = old.spec.template
        comparable.updateStrategy = old.spec.updateStrategy
        comparable.persistentVolumeClaimRetentionPolicy = old.spec.persistentVolumeClaimRetentionPolicy
        comparable.minReadySeconds = old.spec.minReadySeconds
        comparable.ordinals = old.spec.ordinals
        comparable.revisionHistoryLimit = old.spec.revisionHistoryLimit
        if comparable != old.spec {
            causes.append(.forbidden(ValidationPath("spec"),
                "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
                    + "'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"))
        }
        return causes
    }
}

/// DaemonSets: RollingUpdate (maxUnavailable 1, maxSurge 0) and 10 revisions by default;
/// selector immutable.
struct DaemonSetStrategy: KindStrategy {
    func applyDefaults(_ ds: inout AppsV1.DaemonSet) {
        var update = ds.spec.updateStrategy ?? AppsV1.DaemonSetUpdateStrategy()
        if (update.type ?? "").isEmpty { update.type = "RollingUpdate" }
        if update.type == "RollingUpdate" {
            var rolling = update.rollingUpdate ?? AppsV1.RollingUpdateDaemonSet()
            if rolling.maxUnavailable == nil { rolling.maxUnavailable = .int(1) }
            if rolling.maxSurge == nil { rolling.maxSurge = .int(0) }
            update.rollingUpdate = rolling
        }
        ds.spec.updateStrategy = update
        if ds.spec.revisionHistoryLimit == nil { ds.spec.revisionHistoryLimit = 10 }
        PodSpecDefaults.applyTemplate(&ds.spec.template)
    }

    /// upstream's template generation, kept in apps/v1 as this annotation: 1 at creation, one
    /// more on each template change.
    static let templateGenerationAnnotation = "deprecated.daemonset.template.generation"

    func prepareForCreate(_ ds: inout AppsV1.DaemonSet) {
        ds.status = AppsV1.DaemonSetStatus()
        ds.metadata.annotations = (ds.metadata.annotations ?? [:]).merging([Self.templateGenerationAnnotation: "1"]) { _, new in new }
    }

    func validate(_ ds: AppsV1.DaemonSet) -> [APIError.FieldCause] {
        let spec = ValidationPath("spec")
        var causes = ObjectMetaValidation.validate(ds.metadata)
        causes += WorkloadValidation.validateSelector(ds.spec.selector, template: ds.spec.template, path: spec)
        causes += WorkloadValidation.validateTemplate(ds.spec.template, path: spec, restartPolicies: ["Always"])
        if let type = ds.spec.updateStrategy?.type, !["OnDelete", "RollingUpdate"].contains(type) {
            causes.append(.notSupported(spec.child("updateStrategy").child("type"), type, ["OnDelete", "RollingUpdate"]))
        }
        return causes
    }

    func prepareForUpdate(_ ds: inout AppsV1.DaemonSet, old: AppsV1.DaemonSet) {
        ds.status = old.status
        let oldGeneration = old.metadata.annotations?[Self.templateGenerationAnnotation].flatMap { Int64($0) }
        var generation = oldGeneration
        if ds.spec.template != old.spec.template { generation = (oldGeneration ?? 0) + 1 }
        var annotations = ds.metadata.annotations ?? [:]
        annotations[Self.templateGenerationAnnotation] = generation.map { String($0) }
        ds.metadata.annotations = annotations.isEmpty ? nil : annotations
    }

    func validateUpdate(_ ds: AppsV1.DaemonSet, old: AppsV1.DaemonSet) -> [APIError.FieldCause] {
        validate(ds) + WorkloadValidation.immutableSelector(ds.spec.selector, old.spec.selector, ValidationPath("spec"))
    }
}
