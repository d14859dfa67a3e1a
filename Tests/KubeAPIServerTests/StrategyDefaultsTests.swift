import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Defaults as upstream's `SetDefaults_*` functions apply them (pkg/apis/*/v1/defaults.go).
@Suite struct StrategyDefaultsTests {
    @Test(arguments: [
        ("nginx", "Always"), ("nginx:latest", "Always"), ("nginx:1.27", "IfNotPresent"),
        ("registry:5000/app", "Always"), ("registry:5000/app:v1", "IfNotPresent"),
        ("busybox@sha256:abc", "IfNotPresent"), ("localhost:5000/busybox:latest", "Always"),
    ])
    func imagePullPolicyFollowsTheTag(_ image: String, _ policy: String) {
        #expect(PodSpecDefaults.defaultPullPolicy(image: image) == policy)
    }

    @Test func podDefaults() {
        var pod = CoreV1.Pod(metadata: MetaV1.ObjectMeta(name: "p"))
        var container = CoreV1.Container(image: "nginx:1", name: "c")
        container.ports = [CoreV1.ContainerPort(containerPort: 80)]
        container.livenessProbe = CoreV1.Probe(httpGet: CoreV1.HTTPGetAction(port: .int(80)))
        container.resources = CoreV1.ResourceRequirements(limits: ["cpu": Quantity(stringLiteral: "1"), "memory": Quantity(stringLiteral: "1Gi")])
        pod.spec.containers = [container]
        pod.spec.volumes = [CoreV1.Volume(name: "v"), CoreV1.Volume(name: "s", secret: CoreV1.SecretVolumeSource(secretName: "x"))]
        let strategy = PodStrategy()
        strategy.applyDefaults(&pod)
        strategy.prepareForCreate(&pod)
        let spec = pod.spec
        #expect(spec.restartPolicy == "Always" && spec.dnsPolicy == "ClusterFirst")
        #expect(spec.terminationGracePeriodSeconds == 30 && spec.schedulerName == "default-scheduler")
        #expect(spec.enableServiceLinks == true && spec.securityContext != nil)
        #expect(spec.serviceAccountName == "default" && spec.priority == 0 && spec.preemptionPolicy == "PreemptLowerPriority")
        #expect(spec.tolerations?.map(\.key) == ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"])
        let c = spec.containers[0]
        #expect(c.imagePullPolicy == "IfNotPresent" && c.terminationMessagePath == "/dev/termination-log")
        #expect(c.terminationMessagePolicy == "File" && c.ports?[0].protocol == "TCP")
        #expect(c.livenessProbe?.timeoutSeconds == 1 && c.livenessProbe?.periodSeconds == 10)
        #expect(c.livenessProbe?.failureThreshold == 3 && c.livenessProbe?.httpGet?.path == "/" && c.livenessProbe?.httpGet?.scheme == "HTTP")
        #expect(c.resources?.requests == c.resources?.limits)
        #expect(spec.volumes?[0].emptyDir != nil && spec.volumes?[1].secret?.defaultMode == 420)
        #expect(pod.status.phase == "Pending" && pod.status.qosClass == "Guaranteed")
    }

    @Test(arguments: [
        ([:], [:], "BestEffort"),
        (["cpu": "100m"], [:], "Burstable"),
        (["cpu": "1", "memory": "1Gi"], ["cpu": "1", "memory": "1Gi"], "Guaranteed"),
        (["cpu": "500m", "memory": "1Gi"], ["cpu": "1", "memory": "1Gi"], "Burstable"),
        ([:], ["memory": "1Gi"], "Burstable"),
    ] as [([String: String], [String: String], String)])
    func qosClass(_ requests: [String: String], _ limits: [String: String], _ expected: String) {
        var container = CoreV1.Container(image: "x", name: "c")
        container.resources = CoreV1.ResourceRequirements(
            limits: limits.isEmpty ? nil : limits.mapValues { Quantity(stringLiteral: $0) },
            requests: requests.isEmpty ? nil : requests.mapValues { Quantity(stringLiteral: $0) })
        var spec = CoreV1.PodSpec(containers: [container])
        PodSpecDefaults.applyPodOnly(&spec)
        #expect(PodStrategy.qosClass(of: spec) == expected)
    }

    @Test func deploymentDefaults() {
        var d = AppsV1.Deployment(metadata: MetaV1.ObjectMeta(name: "d"))
        d.spec.template.spec = CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx", name: "c")])
        DeploymentStrategy().applyDefaults(&d)
        #expect(d.spec.replicas == 1 && d.spec.revisionHistoryLimit == 10 && d.spec.progressDeadlineSeconds == 600)
        #expect(d.spec.strategy?.type == "RollingUpdate")
        #expect(d.spec.strategy?.rollingUpdate?.maxSurge == .string("25%") && d.spec.strategy?.rollingUpdate?.maxUnavailable == .string("25%"))
        #expect(d.spec.template.spec?.restartPolicy == "Always" && d.spec.template.spec?.containers[0].imagePullPolicy == "Always")
        #expect(d.spec.template.spec?.enableServiceLinks == nil)
    }

    @Test func statefulSetDaemonSetJobCronJobDefaults() {
        var s = AppsV1.StatefulSet()
        StatefulSetStrategy().applyDefaults(&s)
        #expect(s.spec.replicas == 1 && s.spec.podManagementPolicy == "OrderedReady")
        #expect(s.spec.updateStrategy?.rollingUpdate?.partition == 0 && s.spec.persistentVolumeClaimRetentionPolicy?.whenDeleted == "Retain")
        var ds = AppsV1.DaemonSet()
        DaemonSetStrategy().applyDefaults(&ds)
        #expect(ds.spec.updateStrategy?.rollingUpdate?.maxUnavailable == .int(1) && ds.spec.updateStrategy?.rollingUpdate?.maxSurge == .int(0))
        var job = BatchV1.Job(metadata: MetaV1.ObjectMeta(name: "j", uid: "u-1"))
        JobStrategy().applyDefaults(&job)
        JobStrategy().prepareForCreate(&job)
        #expect(job.spec.completions == 1 && job.spec.parallelism == 1 && job.spec.backoffLimit == 6)
        #expect(job.spec.completionMode == "NonIndexed" && job.spec.suspend == false && job.spec.podReplacementPolicy == "TerminatingOrFailed")
        #expect(job.spec.selector?.matchLabels == ["batch.kubernetes.io/controller-uid": "u-1"])
        #expect(job.spec.template.metadata?.labels?["batch.kubernetes.io/job-name"] == "j")
        var parallelOnly = BatchV1.Job()
        parallelOnly.spec.parallelism = 3
        JobStrategy().applyDefaults(&parallelOnly)
        #expect(parallelOnly.spec.completions == nil && parallelOnly.spec.parallelism == 3)
        var cron = BatchV1.CronJob()
        CronJobStrategy().applyDefaults(&cron)
        #expect(cron.spec.concurrencyPolicy == "Allow" && cron.spec.successfulJobsHistoryLimit == 3 && cron.spec.failedJobsHistoryLimit == 1)
    }

    @Test func serviceDefaults() {
        var service = CoreV1.Service(metadata: MetaV1.ObjectMeta(name: "s"))
        service.spec.ports = [CoreV1.ServicePort(port: 80), CoreV1.ServicePort(name: "b", port: 81, targetPort: .string("http"))]
        ServiceStrategy().applyDefaults(&service)
        #expect(service.spec.type == "ClusterIP" && service.spec.sessionAffinity == "None" && service.spec.internalTrafficPolicy == "Cluster")
        #expect(service.spec.ports?[0].protocol == "TCP" && service.spec.ports?[0].targetPort == .int(80))
        #expect(service.spec.ports?[1].targetPort == .string("http"))
        var nodePort = CoreV1.Service()
        nodePort.spec.type = "NodePort"
        ServiceStrategy().applyDefaults(&nodePort)
        #expect(nodePort.spec.externalTrafficPolicy == "Cluster")
    }

    @Test func secretStringDataMergesIntoData() {
        var secret = CoreV1.Secret(metadata: MetaV1.ObjectMeta(name: "s"))
        secret.stringData = ["password": "hunter2"]
        SecretStrategy().applyDefaults(&secret)
        SecretStrategy().prepareForCreate(&secret)
        #expect(secret.type == "Opaque" && secret.stringData == nil && secret.data == ["password": "aHVudGVyMg=="])
    }
}
