import KubeModel

extension TableConvertors {
    /// Upstream's per-kind columns (`pkg/printers/internalversion`) for the built-in resources;
    /// built-in kinds without a printer get NAME/CREATED AT as upstream, everything else the
    /// NAME/AGE fallback.
    public static let builtIn: TableConvertors = {
        var tables = TableConvertors()
        let entries: [(String, any TableConvertor)] = [
            // core
            ("pods", PodTableConvertor()),
            ("podtemplates", PodTemplateTableConvertor()),
            ("replicationcontrollers", ReplicationControllerTableConvertor()),
            ("services", ServiceTableConvertor()),
            ("endpoints", EndpointsTableConvertor()),
            ("nodes", NodeTableConvertor()),
            ("namespaces", NamespaceTableConvertor()),
            ("configmaps", ConfigMapTableConvertor()),
            ("secrets", SecretTableConvertor()),
            ("serviceaccounts", ServiceAccountTableConvertor()),
            ("events", EventTableConvertor()),
            ("persistentvolumes", PersistentVolumeTableConvertor()),
            ("persistentvolumeclaims", PersistentVolumeClaimTableConvertor()),
            ("resourcequotas", ResourceQuotaTableConvertor()),
            ("limitranges", CreatedAtTableConvertor()),
            ("componentstatuses", ComponentStatusTableConvertor()),
            // apps
            ("deployments.apps", DeploymentTableConvertor()),
            ("replicasets.apps", ReplicaSetTableConvertor()),
            ("statefulsets.apps", StatefulSetTableConvertor()),
            ("daemonsets.apps", DaemonSetTableConvertor()),
            ("controllerrevisions.apps", ControllerRevisionTableConvertor()),
            // batch, autoscaling, policy
            ("jobs.batch", JobTableConvertor()),
            ("cronjobs.batch", CronJobTableConvertor()),
            ("horizontalpodautoscalers.autoscaling", HorizontalPodAutoscalerTableConvertor()),
            // metrics.k8s.io (served by the metrics server when it runs)
            ("nodes.metrics.k8s.io", NodeMetricsTableConvertor()),
            ("pods.metrics.k8s.io", PodMetricsTableConvertor()),
            ("poddisruptionbudgets.policy", PodDisruptionBudgetTableConvertor()),
            // networking, discovery
            ("ingresses.networking.k8s.io", IngressTableConvertor()),
            ("ingressclasses.networking.k8s.io", IngressClassTableConvertor()),
            ("networkpolicies.networking.k8s.io", NetworkPolicyTableConvertor()),
            ("servicecidrs.networking.k8s.io", ServiceCIDRTableConvertor()),
            ("endpointslices.discovery.k8s.io", EndpointSliceTableConvertor()),
            // rbac
            ("roles.rbac.authorization.k8s.io", CreatedAtTableConvertor()),
            ("clusterroles.rbac.authorization.k8s.io", CreatedAtTableConvertor()),
            ("rolebindings.rbac.authorization.k8s.io", RoleBindingTableConvertor()),
            ("clusterrolebindings.rbac.authorization.k8s.io", RoleBindingTableConvertor(clusterScoped: true)),
            // storage
            ("storageclasses.storage.k8s.io", StorageClassTableConvertor()),
            ("csidrivers.storage.k8s.io", CSIDriverTableConvertor()),
            ("csinodes.storage.k8s.io", CSINodeTableConvertor()),
            ("csistoragecapacities.storage.k8s.io", CSIStorageCapacityTableConvertor()),
            ("volumeattachments.storage.k8s.io", VolumeAttachmentTableConvertor()),
            // scheduling, coordination, node, certificates
            ("priorityclasses.scheduling.k8s.io", PriorityClassTableConvertor()),
            ("leases.coordination.k8s.io", LeaseTableConvertor()),
            ("runtimeclasses.node.k8s.io", RuntimeClassTableConvertor()),
            ("certificatesigningrequests.certificates.k8s.io", CertificateSigningRequestTableConvertor()),
            // admission
            ("mutatingwebhookconfigurations.admissionregistration.k8s.io", WebhookConfigurationTableConvertor()),
            ("validatingwebhookconfigurations.admissionregistration.k8s.io", WebhookConfigurationTableConvertor()),
            ("validatingadmissionpolicies.admissionregistration.k8s.io", AdmissionPolicyTableConvertor()),
            ("mutatingadmissionpolicies.admissionregistration.k8s.io", AdmissionPolicyTableConvertor(mutating: true)),
            ("validatingadmissionpolicybindings.admissionregistration.k8s.io", AdmissionPolicyBindingTableConvertor()),
            ("mutatingadmissionpolicybindings.admissionregistration.k8s.io", AdmissionPolicyBindingTableConvertor()),
            // the rest
            ("customresourcedefinitions.apiextensions.k8s.io", CreatedAtTableConvertor()),
            ("events.events.k8s.io", EventTableConvertor()),
            ("flowschemas.flowcontrol.apiserver.k8s.io", FlowSchemaTableConvertor()),
            ("prioritylevelconfigurations.flowcontrol.apiserver.k8s.io", PriorityLevelConfigurationTableConvertor()),
        ]
        for (groupResource, convertor) in entries {
            tables.register(convertor, for: groupResource)
        }
        return tables
    }()
}
