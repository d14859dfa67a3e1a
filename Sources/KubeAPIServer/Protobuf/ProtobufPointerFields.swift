/// Scalar fields that are pointers in upstream's Go types (`*int32`, `*int64`, `*bool`), whose
/// zero value is a value the client set, not an absent field (`kubectl create deployment
/// --replicas=0` sends `replicas: 0`). gogo-protobuf writes a pointer field only when it is set,
/// but writes every non-pointer scalar always — and JSON leaves non-pointer zeros out — so the
/// decoder keeps a zero only for these fields (and for required ones).
///
/// Facts from upstream's `types.go` of the everyday kinds, keyed by protobuf message name.
enum ProtobufPointerFields {
    static let fields: [String: Set<String>] = [
        "k8s.io.api.apps.v1.DeploymentSpec": ["replicas", "revisionHistoryLimit", "progressDeadlineSeconds"],
        "k8s.io.api.apps.v1.ReplicaSetSpec": ["replicas"],
        "k8s.io.api.apps.v1.StatefulSetSpec": ["replicas", "revisionHistoryLimit"],
        "k8s.io.api.apps.v1.DaemonSetSpec": ["revisionHistoryLimit"],
        "k8s.io.api.apps.v1.RollingUpdateStatefulSetStrategy": ["partition"],
        "k8s.io.api.core.v1.ReplicationControllerSpec": ["replicas"],
        "k8s.io.api.batch.v1.JobSpec": [
            "parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "backoffLimitPerIndex",
            "maxFailedIndexes", "ttlSecondsAfterFinished", "manualSelector", "suspend",
        ],
        "k8s.io.api.batch.v1.CronJobSpec": [
            "startingDeadlineSeconds", "suspend", "successfulJobsHistoryLimit", "failedJobsHistoryLimit",
        ],
        "k8s.io.api.core.v1.PodSpec": [
            "terminationGracePeriodSeconds", "activeDeadlineSeconds", "automountServiceAccountToken",
            "shareProcessNamespace", "priority", "enableServiceLinks", "setHostnameAsFQDN", "hostUsers",
        ],
        "k8s.io.api.core.v1.ServiceAccount": ["automountServiceAccountToken"],
        "k8s.io.api.core.v1.ConfigMap": ["immutable"],
        "k8s.io.api.core.v1.Secret": ["immutable"],
        "k8s.io.api.core.v1.ServiceSpec": ["allocateLoadBalancerNodePorts"],
        "k8s.io.api.core.v1.SecurityContext": [
            "privileged", "runAsUser", "runAsGroup", "runAsNonRoot", "readOnlyRootFilesystem",
            "allowPrivilegeEscalation",
        ],
        "k8s.io.api.core.v1.PodSecurityContext": ["runAsUser", "runAsGroup", "runAsNonRoot", "fsGroup"],
        "k8s.io.api.core.v1.ConfigMapVolumeSource": ["defaultMode", "optional"],
        "k8s.io.api.core.v1.SecretVolumeSource": ["defaultMode", "optional"],
        "k8s.io.api.core.v1.ConfigMapKeySelector": ["optional"],
        "k8s.io.api.core.v1.SecretKeySelector": ["optional"],
        "k8s.io.api.core.v1.ConfigMapEnvSource": ["optional"],
        "k8s.io.api.core.v1.SecretEnvSource": ["optional"],
        "k8s.io.api.autoscaling.v1.HorizontalPodAutoscalerSpec": ["minReplicas", "targetCPUUtilizationPercentage"],
        "k8s.io.api.autoscaling.v2.HorizontalPodAutoscalerSpec": ["minReplicas"],
        "k8s.io.api.coordination.v1.LeaseSpec": ["leaseDurationSeconds", "leaseTransitions"],
    ]

    static func isPointer(_ field: String, in message: String) -> Bool {
        fields[message]?.contains(field) ?? false
    }
}
