import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Autoscaling, RBAC, certificates, quota and the small kinds, from upstream's `TestPrintHPA`,
/// `TestPrintRoleBinding`, `TestPrintClusterRoleBinding`, `TestPrintCertificateSigningRequest`,
/// `TestPrintPodDisruptionBudget`, `TestPrintResourceQuota`, `TestPrintPriorityClass`, `TestPrintLease`,
/// `TestPrintRuntimeClass`, `TestPrintConfigMap`, `TestPrintSecret`, `TestPrintFlowSchema`,
/// `TestPrintPriorityLevelConfiguration`, `TestPrintComponentStatus`, …
struct PrinterPolicyTests {
    typealias F = PrinterFixture

    // MARK: HorizontalPodAutoscaler

    static func target(value: String? = nil, average: String? = nil, utilization: Int32? = nil) -> AutoscalingV2.MetricTarget {
        AutoscalingV2.MetricTarget(averageUtilization: utilization, averageValue: average.map { Quantity.mustParse($0) },
                                   type: utilization != nil ? "Utilization" : average != nil ? "AverageValue" : "Value",
                                   value: value.map { Quantity.mustParse($0) })
    }

    static func current(value: String? = nil, average: String? = nil, utilization: Int32? = nil) -> AutoscalingV2.MetricValueStatus {
        AutoscalingV2.MetricValueStatus(averageUtilization: utilization, averageValue: average.map { Quantity.mustParse($0) },
                                        value: value.map { Quantity.mustParse($0) })
    }

    static let metric = AutoscalingV2.MetricIdentifier(name: "some-metric")
    static let service = AutoscalingV2.CrossVersionObjectReference(kind: "Service", name: "some-service")

    static func external(_ target: AutoscalingV2.MetricTarget) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(external: AutoscalingV2.ExternalMetricSource(metric: metric, target: target), type: "External")
    }
    static func external(_ current: AutoscalingV2.MetricValueStatus) -> AutoscalingV2.MetricStatus {
        AutoscalingV2.MetricStatus(external: AutoscalingV2.ExternalMetricStatus(current: current, metric: metric), type: "External")
    }
    static func pods(_ target: AutoscalingV2.MetricTarget) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(pods: AutoscalingV2.PodsMetricSource(metric: metric, target: target), type: "Pods")
    }
    static func pods(_ current: AutoscalingV2.MetricValueStatus) -> AutoscalingV2.MetricStatus {
        AutoscalingV2.MetricStatus(pods: AutoscalingV2.PodsMetricStatus(current: current, metric: metric), type: "Pods")
    }
    static func object(_ target: AutoscalingV2.MetricTarget) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(object: AutoscalingV2.ObjectMetricSource(describedObject: service, metric: metric, target: target),
                                 type: "Object")
    }
    static func object(_ current: AutoscalingV2.MetricValueStatus) -> AutoscalingV2.MetricStatus {
        AutoscalingV2.MetricStatus(object: AutoscalingV2.ObjectMetricStatus(current: current, describedObject: service, metric: metric),
                                   type: "Object")
    }
    static func cpu(_ target: AutoscalingV2.MetricTarget) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(resource: AutoscalingV2.ResourceMetricSource(name: "cpu", target: target), type: "Resource")
    }
    static func cpu(_ current: AutoscalingV2.MetricValueStatus) -> AutoscalingV2.MetricStatus {
        AutoscalingV2.MetricStatus(resource: AutoscalingV2.ResourceMetricStatus(current: current, name: "cpu"), type: "Resource")
    }
    static func containerCPU(_ target: AutoscalingV2.MetricTarget) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(containerResource: AutoscalingV2.ContainerResourceMetricSource(container: "application", name: "cpu", target: target),
                                 type: "ContainerResource")
    }
    static func containerCPU(_ current: AutoscalingV2.MetricValueStatus) -> AutoscalingV2.MetricStatus {
        AutoscalingV2.MetricStatus(containerResource: AutoscalingV2.ContainerResourceMetricStatus(container: "application", current: current, name: "cpu"),
                                   type: "ContainerResource")
    }

    static let hpaTargetCases: [([AutoscalingV2.MetricSpec], [AutoscalingV2.MetricStatus], String)] = [
        ([], [], "<none>"),
        ([external(target(average: "100m"))], [], "<unknown>/100m (avg)"),
        ([external(target(average: "100m"))], [external(current(average: "50m"))], "50m/100m (avg)"),
        ([external(target(value: "100m"))], [], "<unknown>/100m"),
        ([external(target(value: "100m"))], [external(current(value: "50m"))], "50m/100m"),
        ([pods(target(average: "100m"))], [], "<unknown>/100m"),
        ([pods(target(average: "100m"))], [pods(current(average: "50m"))], "50m/100m"),
        ([object(target(value: "100m"))], [], "<unknown>/100m"),
        ([object(target(value: "100m"))], [object(current(value: "50m"))], "50m/100m"),
        ([object(target(average: "100m"))], [object(current(average: "50m"))], "50m/100m (avg)"),
        ([cpu(target(average: "100m"))], [], "cpu: <unknown>/100m"),
        ([cpu(target(average: "100m"))], [cpu(current(average: "50m"))], "cpu: 50m/100m"),
        ([cpu(target(utilization: 80))], [], "cpu: <unknown>/80%"),
        ([cpu(target(utilization: 80))], [cpu(current(average: "40m", utilization: 50))], "cpu: 50%/80%"),
        ([cpu(target())], [], "cpu: <unknown>/<auto>"),
        ([containerCPU(target(average: "100m"))], [], "cpu: <unknown>/100m"),
        ([containerCPU(target(average: "100m"))], [containerCPU(current(average: "50m"))], "cpu: 50m/100m"),
        ([containerCPU(target(utilization: 80))], [], "cpu: <unknown>/80%"),
        ([containerCPU(target(utilization: 80))], [containerCPU(current(average: "40m", utilization: 50))], "cpu: 50%/80%"),
        ([pods(target(average: "100m")), cpu(target(utilization: 80)), pods(target(average: "400m"))],
         [pods(current(average: "50m")), cpu(current(average: "40m", utilization: 50))], "50m/100m, cpu: 50%/80% + 1 more..."),
    ]

    @Test(arguments: hpaTargetCases)
    func hpaTargets(_ sample: ([AutoscalingV2.MetricSpec], [AutoscalingV2.MetricStatus], String)) {
        let hpa = AutoscalingV2.HorizontalPodAutoscaler(
            metadata: F.meta("some-hpa"),
            spec: AutoscalingV2.HorizontalPodAutoscalerSpec(
                maxReplicas: 10, metrics: sample.0, minReplicas: 2,
                scaleTargetRef: AutoscalingV2.CrossVersionObjectReference(kind: "ReplicationController", name: "some-rc")),
            status: AutoscalingV2.HorizontalPodAutoscalerStatus(currentMetrics: sample.1, currentReplicas: 4, desiredReplicas: 5))
        #expect(F.row(HorizontalPodAutoscalerTableConvertor(), hpa)
            == ["some-hpa", "ReplicationController/some-rc", sample.2, "2", "10", "4", "<unknown>"])
    }

    @Test func hpaWithoutMinReplicasAndV1() {
        let bare = AutoscalingV2.HorizontalPodAutoscaler(
            metadata: F.meta("some-hpa"),
            spec: AutoscalingV2.HorizontalPodAutoscalerSpec(
                maxReplicas: 10, scaleTargetRef: AutoscalingV2.CrossVersionObjectReference(kind: "ReplicationController", name: "some-rc")),
            status: AutoscalingV2.HorizontalPodAutoscalerStatus(currentReplicas: 4, desiredReplicas: 5))
        #expect(F.row(HorizontalPodAutoscalerTableConvertor(), bare)
            == ["some-hpa", "ReplicationController/some-rc", "<none>", "<unset>", "10", "4", "<unknown>"])
        #expect(F.values(HorizontalPodAutoscalerTableConvertor(), bare)[4] == .int(10))

        var v1 = AutoscalingV1.HorizontalPodAutoscaler(
            metadata: F.meta("web", created: F.ago(300)),
            spec: AutoscalingV1.HorizontalPodAutoscalerSpec(
                maxReplicas: 5, minReplicas: 1,
                scaleTargetRef: AutoscalingV1.CrossVersionObjectReference(kind: "Deployment", name: "web"),
                targetCPUUtilizationPercentage: 80),
            status: AutoscalingV1.HorizontalPodAutoscalerStatus(currentReplicas: 2, desiredReplicas: 2))
        #expect(F.row(HorizontalPodAutoscalerTableConvertor(), v1) == ["web", "Deployment/web", "cpu: <unknown>/80%", "1", "5", "2", "5m"])
        v1.status.currentCPUUtilizationPercentage = 35
        #expect(F.row(HorizontalPodAutoscalerTableConvertor(), v1)[2] == "cpu: 35%/80%")
    }

    // MARK: RBAC

    static let subjects = [
        RbacV1.Subject(kind: "User", name: "user-name"), RbacV1.Subject(kind: "Group", name: "group-name"),
        RbacV1.Subject(kind: "ServiceAccount", name: "service-account-name", namespace: "service-account-namespace"),
    ]

    @Test func roleBindings() {
        let basic = RbacV1.RoleBinding(metadata: F.meta("binding1", created: F.justCreated),
                                       roleRef: RbacV1.RoleRef(kind: "Role", name: "extension-apiserver-authentication-reader"),
                                       subjects: [RbacV1.Subject(kind: "User", name: "system:kube-controller-manager")])
        #expect(F.row(RoleBindingTableConvertor(), basic) == ["binding1", "Role/extension-apiserver-authentication-reader", "0s"])
        let wide = RbacV1.RoleBinding(metadata: F.meta("binding2", created: F.justCreated),
                                      roleRef: RbacV1.RoleRef(kind: "Role", name: "role-name"), subjects: Self.subjects)
        #expect(F.row(RoleBindingTableConvertor(), wide, wide: true)
            == ["binding2", "Role/role-name", "0s", "user-name", "group-name", "service-account-namespace/service-account-name"])
        let cluster = RbacV1.ClusterRoleBinding(metadata: F.meta("binding2", created: F.justCreated),
                                                roleRef: RbacV1.RoleRef(kind: "ClusterRole", name: "admin"),
                                                subjects: Self.subjects + [RbacV1.Subject(kind: "User", name: "second")])
        #expect(F.row(RoleBindingTableConvertor(clusterScoped: true), cluster, wide: true)
            == ["binding2", "ClusterRole/admin", "0s", "user-name, second", "group-name", "service-account-namespace/service-account-name"])
        #expect(RoleBindingTableConvertor(clusterScoped: true).columns[3].description == "Users in the clusterRoleBinding")
    }

    // MARK: CertificateSigningRequest

    static func csr(_ name: String, username: String? = nil, signer: String = "", expiration: Int32? = nil,
                    conditions: [String] = [], certificate: String? = nil) -> CertificatesV1.CertificateSigningRequest {
        CertificatesV1.CertificateSigningRequest(
            metadata: F.meta(name, created: F.justCreated),
            spec: CertificatesV1.CertificateSigningRequestSpec(expirationSeconds: expiration, signerName: signer, username: username),
            status: CertificatesV1.CertificateSigningRequestStatus(
                certificate: certificate, conditions: conditions.map { CertificatesV1.CertificateSigningRequestCondition(status: "True", type: $0) }))
    }

    static let csrs: [(CertificatesV1.CertificateSigningRequest, [String])] = [
        (csr("csr1"), ["csr1", "0s", "<none>", "", "<none>", "Pending"]),
        (csr("csr2", username: "CSR Requestor", conditions: ["Approved"]), ["csr2", "0s", "<none>", "CSR Requestor", "<none>", "Approved"]),
        (csr("csr2", username: "CSR Requestor", signer: "example.com/test-signer", conditions: ["Approved"]),
         ["csr2", "0s", "example.com/test-signer", "CSR Requestor", "<none>", "Approved"]),
        (csr("csr2", username: "CSR Requestor", signer: "example.com/test-signer", expiration: 7 * 86400 + 3600, conditions: ["Approved"]),
         ["csr2", "0s", "example.com/test-signer", "CSR Requestor", "7d1h", "Approved"]),
        (csr("csr2", username: "CSR Requestor", conditions: ["Approved"], certificate: "Y2VydCBkYXRh"),
         ["csr2", "0s", "<none>", "CSR Requestor", "<none>", "Approved,Issued"]),
        (csr("csr3", username: "CSR Requestor", conditions: ["Denied"]), ["csr3", "0s", "<none>", "CSR Requestor", "<none>", "Denied"]),
        (csr("csr4", conditions: ["Approved", "Failed", "Denied"]), ["csr4", "0s", "<none>", "", "<none>", "Denied,Failed"]),
    ]

    @Test(arguments: csrs)
    func certificateSigningRequest(_ sample: (CertificatesV1.CertificateSigningRequest, [String])) {
        #expect(F.row(CertificateSigningRequestTableConvertor(), sample.0) == sample.1)
    }

    // MARK: Policy, scheduling, quota

    @Test func podDisruptionBudget() {
        let minimum = PolicyV1.PodDisruptionBudget(metadata: F.meta("pdb1", created: F.justCreated),
                                                   spec: PolicyV1.PodDisruptionBudgetSpec(minAvailable: 22),
                                                   status: PolicyV1.PodDisruptionBudgetStatus(disruptionsAllowed: 5))
        #expect(F.row(PodDisruptionBudgetTableConvertor(), minimum) == ["pdb1", "22", "N/A", "5", "0s"])
        let maximum = PolicyV1.PodDisruptionBudget(metadata: F.meta("pdb2", created: F.justCreated),
                                                   spec: PolicyV1.PodDisruptionBudgetSpec(maxUnavailable: "25%"),
                                                   status: PolicyV1.PodDisruptionBudgetStatus(disruptionsAllowed: 3))
        #expect(F.row(PodDisruptionBudgetTableConvertor(), maximum) == ["pdb2", "N/A", "25%", "3", "0s"])
    }

    @Test func priorityClass() {
        let never = SchedulingV1.PriorityClass(metadata: F.meta("pc1", created: F.justCreated), preemptionPolicy: "Never", value: 1)
        #expect(F.row(PriorityClassTableConvertor(), never) == ["pc1", "1", "false", "0s"])
        let lower = SchedulingV1.PriorityClass(globalDefault: true, metadata: F.meta("pc2", created: F.ago(300)),
                                               preemptionPolicy: "PreemptLowerPriority", value: 1_000_000_000)
        #expect(F.row(PriorityClassTableConvertor(), lower, wide: true) == ["pc2", "1000000000", "true", "5m", "PreemptLowerPriority"])
        let unset = SchedulingV1.PriorityClass(globalDefault: true, metadata: F.meta("pc2", created: F.ago(300)), value: 1_000_000_000)
        #expect(F.row(PriorityClassTableConvertor(), unset, wide: true) == ["pc2", "1000000000", "true", "5m", ""])
        #expect(F.values(PriorityClassTableConvertor(), lower)[2] == .bool(true))
    }

    @Test func resourceQuota() {
        let quota = CoreV1.ResourceQuota(
            metadata: F.meta("test-resourcequota", created: F.ago(300)),
            status: CoreV1.ResourceQuotaStatus(
                hard: ["cpu": "100", "memory": "4Gi", "pods": "10", "services": "10", "replicationcontrollers": "10",
                       "resourcequotas": "1", "limits.cpu": "200", "limits.memory": "8Gi"],
                used: ["cpu": "1", "memory": "1Gi", "pods": "1", "services": "1", "replicationcontrollers": "1",
                       "resourcequotas": "1", "limits.cpu": "2", "limits.memory": "2Gi"]))
        #expect(F.row(ResourceQuotaTableConvertor(), quota) == [
            "test-resourcequota",
            "cpu: 1/100, memory: 1Gi/4Gi, pods: 1/10, replicationcontrollers: 1/10, resourcequotas: 1/1, services: 1/10",
            "limits.cpu: 2/200, limits.memory: 2Gi/8Gi", "5m",
        ])
        let unused = CoreV1.ResourceQuota(metadata: F.meta("q"), status: CoreV1.ResourceQuotaStatus(hard: ["pods": "5"]))
        #expect(F.row(ResourceQuotaTableConvertor(), unused) == ["q", "pods: 0/5", "", "<unknown>"])
    }

    // MARK: Small kinds

    @Test func configMapsSecretsAndServiceAccounts() {
        #expect(F.row(ConfigMapTableConvertor(), CoreV1.ConfigMap(metadata: F.meta("configmap1", created: F.justCreated)))
            == ["configmap1", "0", "0s"])
        let both = CoreV1.ConfigMap(binaryData: ["bin": "YmluYXJ5"], data: ["foo": "bar"], metadata: F.meta("configmap3", created: F.justCreated))
        #expect(F.values(ConfigMapTableConvertor(), both) == [.string("configmap3"), .int(2), .string("0s")])

        let secret = CoreV1.Secret(data: ["token": "c2VjcmV0"], metadata: F.meta("secret1", created: F.justCreated),
                                   type: "kubernetes.io/service-account-token")
        #expect(F.row(SecretTableConvertor(), secret) == ["secret1", "kubernetes.io/service-account-token", "1", "0s"])
        #expect(F.row(SecretTableConvertor(), CoreV1.Secret(metadata: F.meta("empty"), type: "Opaque")) == ["empty", "Opaque", "0", "<unknown>"])

        let account = CoreV1.ServiceAccount(metadata: F.meta("sa1", created: F.justCreated), secrets: [])
        #expect(F.row(ServiceAccountTableConvertor(), account) == ["sa1", "0", "0s"])
    }

    @Test func leasesRuntimeClassesAndWebhooks() {
        let lease = CoordinationV1.Lease(metadata: F.meta("lease2", created: F.ago(300)),
                                         spec: CoordinationV1.LeaseSpec(holderIdentity: "holder2"))
        #expect(F.row(LeaseTableConvertor(), lease) == ["lease2", "holder2", "5m"])
        #expect(F.row(LeaseTableConvertor(), CoordinationV1.Lease(metadata: F.meta("free"))) == ["free", "", "<unknown>"])

        let runtime = NodeV1.RuntimeClass(handler: "h1", metadata: F.meta("rc1", created: F.justCreated))
        #expect(F.row(RuntimeClassTableConvertor(), runtime) == ["rc1", "h1", "0s"])

        let mutating = AdmissionregistrationV1.MutatingWebhookConfiguration(
            metadata: F.meta("hooks", created: F.ago(300)),
            webhooks: [AdmissionregistrationV1.MutatingWebhook(name: "a.example.com"), AdmissionregistrationV1.MutatingWebhook(name: "b.example.com")])
        #expect(F.row(WebhookConfigurationTableConvertor(), mutating) == ["hooks", "2", "5m"])
        let validating = AdmissionregistrationV1.ValidatingWebhookConfiguration(metadata: F.meta("none"))
        #expect(F.row(WebhookConfigurationTableConvertor(), validating) == ["none", "0", "<unknown>"])
    }

    @Test func storageDriversAndAttachments() {
        let driver = StorageV1.CSIDriver(metadata: F.meta("csi.example.com", created: F.ago(300)), spec: StorageV1.CSIDriverSpec())
        #expect(F.row(CSIDriverTableConvertor(), driver) == ["csi.example.com", "true", "false", "false", "<unset>", "false", "<none>", "5m"])
        let configured = StorageV1.CSIDriver(
            metadata: F.meta("d"),
            spec: StorageV1.CSIDriverSpec(attachRequired: false, podInfoOnMount: true, requiresRepublish: true, storageCapacity: true,
                                          tokenRequests: [StorageV1.TokenRequest(audience: "a"), StorageV1.TokenRequest(audience: "b")],
                                          volumeLifecycleModes: ["Persistent", "Ephemeral"]))
        #expect(F.row(CSIDriverTableConvertor(), configured) == ["d", "false", "true", "true", "a,b", "true", "Persistent,Ephemeral", "<unknown>"])

        let attachment = StorageV1.VolumeAttachment(
            metadata: F.meta("va", created: F.ago(300)),
            spec: StorageV1.VolumeAttachmentSpec(attacher: "csi.example.com", nodeName: "node1",
                                                 source: StorageV1.VolumeAttachmentSource(persistentVolumeName: "pv1")),
            status: StorageV1.VolumeAttachmentStatus(attached: true))
        #expect(F.values(VolumeAttachmentTableConvertor(), attachment)
            == [.string("va"), .string("csi.example.com"), .string("pv1"), .string("node1"), .bool(true), .string("5m")])
    }

    @Test func componentStatuses() {
        let none = CoreV1.ComponentStatus(conditions: [], metadata: F.meta("cs1"))
        #expect(F.row(ComponentStatusTableConvertor(), none) == ["cs1", "Unknown", "", ""])
        let healthy = CoreV1.ComponentStatus(
            conditions: [CoreV1.ComponentCondition(error: "test error", message: "test message", status: "True", type: "Healthy")],
            metadata: F.meta("cs2"))
        #expect(F.row(ComponentStatusTableConvertor(), healthy) == ["cs2", "Healthy", "test message", "test error"])
        let unhealthy = CoreV1.ComponentStatus(
            conditions: [CoreV1.ComponentCondition(error: "test error", message: "test message", status: "False", type: "Healthy")],
            metadata: F.meta("cs3"))
        #expect(F.row(ComponentStatusTableConvertor(), unhealthy) == ["cs3", "Unhealthy", "test message", "test error"])
    }

    @Test func flowControl() {
        let schema = FlowcontrolV1.FlowSchema(
            metadata: F.meta("all-matcher", created: F.justCreated),
            spec: FlowcontrolV1.FlowSchemaSpec(distinguisherMethod: FlowcontrolV1.FlowDistinguisherMethod(type: "ByUser"),
                                               matchingPrecedence: Int32.max,
                                               priorityLevelConfiguration: FlowcontrolV1.PriorityLevelConfigurationReference(name: "allee")))
        #expect(F.row(FlowSchemaTableConvertor(), schema) == ["all-matcher", "allee", "2147483647", "ByUser", "0s", "?"])
        var dangling = schema
        dangling.spec.distinguisherMethod = nil
        dangling.status.conditions = [FlowcontrolV1.FlowSchemaCondition(status: "True", type: "Dangling")]
        #expect(F.row(FlowSchemaTableConvertor(), dangling) == ["all-matcher", "allee", "2147483647", "<none>", "0s", "True"])

        let exempt = FlowcontrolV1.PriorityLevelConfiguration(metadata: F.meta("unlimited", created: F.justCreated),
                                                              spec: FlowcontrolV1.PriorityLevelConfigurationSpec(type: "Exempt"))
        #expect(F.row(PriorityLevelConfigurationTableConvertor(), exempt) == ["unlimited", "Exempt", "<none>", "<none>", "<none>", "<none>", "0s"])
        let rejecting = FlowcontrolV1.PriorityLevelConfiguration(
            metadata: F.meta("unqueued", created: F.justCreated),
            spec: FlowcontrolV1.PriorityLevelConfigurationSpec(
                limited: FlowcontrolV1.LimitedPriorityLevelConfiguration(limitResponse: FlowcontrolV1.LimitResponse(type: "Reject"),
                                                                         nominalConcurrencyShares: 47),
                type: "Limited"))
        #expect(F.row(PriorityLevelConfigurationTableConvertor(), rejecting) == ["unqueued", "Limited", "47", "<none>", "<none>", "<none>", "0s"])
        let queued = FlowcontrolV1.PriorityLevelConfiguration(
            metadata: F.meta("queued", created: F.justCreated),
            spec: FlowcontrolV1.PriorityLevelConfigurationSpec(
                limited: FlowcontrolV1.LimitedPriorityLevelConfiguration(
                    limitResponse: FlowcontrolV1.LimitResponse(
                        queuing: FlowcontrolV1.QueuingConfiguration(handSize: 3, queueLengthLimit: 4, queues: 8), type: "Queue"),
                    nominalConcurrencyShares: 42),
                type: "Limited"))
        #expect(F.values(PriorityLevelConfigurationTableConvertor(), queued)
            == [.string("queued"), .string("Limited"), .int(42), .int(8), .int(3), .int(4), .string("0s")])
    }

    @Test func admissionPolicyBindings() {
        let binding = AdmissionregistrationV1.ValidatingAdmissionPolicyBinding(
            metadata: F.meta("config", created: F.ago(300)),
            spec: AdmissionregistrationV1.ValidatingAdmissionPolicyBindingSpec(
                paramRef: AdmissionregistrationV1.ParamRef(name: "test-scale-setting.example.com", parameterNotFoundAction: "Deny"),
                policyName: "test-scale.example.com"))
        #expect(F.row(AdmissionPolicyBindingTableConvertor(), binding)
            == ["config", "test-scale.example.com", "*/test-scale-setting.example.com", "5m"])
        #expect(AdmissionPolicyBindingTableConvertor.paramName(AdmissionregistrationV1.ParamRef(name: "p", namespace: "ns")) == "ns/p")
        #expect(AdmissionPolicyBindingTableConvertor.paramName(nil) == "<unset>")
    }
}
