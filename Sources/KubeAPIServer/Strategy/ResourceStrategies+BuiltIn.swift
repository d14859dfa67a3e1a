extension ResourceStrategies {
    /// The strategies of the built-in kinds that have defaults or validation beyond the generic
    /// object checks.
    public static let builtIn: ResourceStrategies = {
        var strategies = ResourceStrategies()
        strategies.register(PodStrategy(), for: "pods")
        strategies.register(ServiceStrategy(), for: "services")
        strategies.register(ConfigMapStrategy(), for: "configmaps")
        strategies.register(SecretStrategy(), for: "secrets")
        strategies.register(PersistentVolumeStrategy(), for: "persistentvolumes")
        strategies.register(PersistentVolumeClaimStrategy(), for: "persistentvolumeclaims")
        strategies.register(StorageClassStrategy(), for: "storageclasses.storage.k8s.io")
        strategies.register(DeploymentStrategy(), for: "deployments.apps")
        strategies.register(ReplicaSetStrategy(), for: "replicasets.apps")
        strategies.register(StatefulSetStrategy(), for: "statefulsets.apps")
        strategies.register(DaemonSetStrategy(), for: "daemonsets.apps")
        strategies.register(JobStrategy(), for: "jobs.batch")
        strategies.register(CronJobStrategy(), for: "cronjobs.batch")
        strategies.register(AnyKindStrategy(AnyKindStrategy(HorizontalPodAutoscalerV1Strategy()),
                                            AnyKindStrategy(HorizontalPodAutoscalerV2Strategy())),
                            for: "horizontalpodautoscalers.autoscaling")
        return strategies
    }()
}
