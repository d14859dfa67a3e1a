import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Validation errors as upstream reports them (field path and message), from
/// pkg/apis/*/validation tests.
@Suite struct StrategyValidationTests {
    static func pod(_ configure: (inout CoreV1.Pod) -> Void) -> CoreV1.Pod {
        var pod = CoreV1.Pod(metadata: MetaV1.ObjectMeta(name: "p"))
        pod.spec.containers = [CoreV1.Container(image: "nginx", name: "c")]
        configure(&pod)
        PodStrategy().applyDefaults(&pod)
        return pod
    }

    static let podCases: [(String, @Sendable (inout CoreV1.Pod) -> Void, String)] = [
        ("no containers", { $0.spec.containers = [] }, "spec.containers: Required value"),
        ("no image", { $0.spec.containers[0].image = nil }, "spec.containers[0].image: Required value"),
        ("bad container name", { $0.spec.containers[0].name = "Web_1" },
         "spec.containers[0].name: Invalid value: \"Web_1\": a lowercase RFC 1123 label must consist of"),
        ("duplicate names", { $0.spec.containers.append(CoreV1.Container(image: "x", name: "c")) },
         "spec.containers[1].name: Duplicate value: \"c\""),
        ("port out of range", { $0.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 70000)] },
         "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"),
        ("bad restart policy", { $0.spec.restartPolicy = "Sometimes" },
         "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
        ("mount of unknown volume", { $0.spec.containers[0].volumeMounts = [CoreV1.VolumeMount(mountPath: "/x", name: "data")] },
         "spec.containers[0].volumeMounts[0].name: Not found: \"data\""),
        ("requests above limits", {
            $0.spec.containers[0].resources = CoreV1.ResourceRequirements(limits: ["cpu": Quantity(stringLiteral: "1")], requests: ["cpu": Quantity(stringLiteral: "2")])
        }, "spec.containers[0].resources.requests[cpu]: Invalid value: \"2\": must be less than or equal to cpu limit of 1"),
        ("bad label", { $0.metadata.labels = ["app": "-bad-"] }, "metadata.labels[app]: Invalid value: \"-bad-\""),
        ("two volume sources", {
            $0.spec.volumes = [CoreV1.Volume(emptyDir: CoreV1.EmptyDirVolumeSource(), hostPath: CoreV1.HostPathVolumeSource(path: "/"), name: "v")]
        }, "spec.volumes[0]: Forbidden: may not specify more than 1 volume type"),
    ]

    @Test(arguments: podCases.indices)
    func podValidation(_ index: Int) {
        let (_, configure, expected) = Self.podCases[index]
        let causes = PodStrategy().validate(Self.pod(configure))
        let rendered = causes.map { "\($0.field): \($0.message)" }
        #expect(rendered.contains { $0.hasPrefix(expected) }, "\(rendered)")
    }

    @Test func aValidPodHasNoErrors() {
        #expect(PodStrategy().validate(Self.pod { _ in }).isEmpty)
    }

    @Test func podUpdatesMayOnlyChangeImagesAndTolerations() {
        let old = Self.pod { _ in }
        var newImage = old
        newImage.spec.containers[0].image = "nginx:2"
        #expect(PodStrategy().validateUpdate(newImage, old: old).isEmpty)
        var newPort = old
        newPort.spec.containers[0].ports = [CoreV1.ContainerPort(containerPort: 80)]
        let causes = PodStrategy().validateUpdate(newPort, old: old)
        #expect(causes.count == 1 && causes[0].field == "spec" && causes[0].message.hasPrefix("Forbidden: pod updates may not change fields other than"))
    }

    static func deployment(_ configure: (inout AppsV1.Deployment) -> Void) -> AppsV1.Deployment {
        var d = AppsV1.Deployment(metadata: MetaV1.ObjectMeta(name: "d"))
        d.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "web"])
        d.spec.template.metadata = MetaV1.ObjectMeta(labels: ["app": "web"])
        d.spec.template.spec = CoreV1.PodSpec(containers: [CoreV1.Container(image: "nginx", name: "c")])
        configure(&d)
        DeploymentStrategy().applyDefaults(&d)
        return d
    }

    static let deploymentCases: [(String, @Sendable (inout AppsV1.Deployment) -> Void, String)] = [
        ("no selector", { $0.spec.selector = MetaV1.LabelSelector() }, "spec.selector: Required value"),
        ("selector mismatch", { $0.spec.template.metadata?.labels = ["app": "other"] },
         #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`"#),
        ("negative replicas", { $0.spec.replicas = -1 }, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        ("restart policy", { $0.spec.template.spec?.restartPolicy = "Never" },
         "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
        ("zero surge and unavailable", {
            $0.spec.strategy = AppsV1.DeploymentStrategy(rollingUpdate: AppsV1.RollingUpdateDeployment(maxSurge: .int(0), maxUnavailable: .int(0)), type: "RollingUpdate")
        }, "spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"),
        ("missing image", { $0.spec.template.spec?.containers[0].image = "" }, "spec.template.spec.containers[0].image: Required value"),
    ]

    @Test(arguments: deploymentCases.indices)
    func deploymentValidation(_ index: Int) {
        let (_, configure, expected) = Self.deploymentCases[index]
        let rendered = DeploymentStrategy().validate(Self.deployment(configure)).map { "\($0.field): \($0.message)" }
        #expect(rendered.contains { $0.hasPrefix(expected) }, "\(rendered)")
    }

    @Test func deploymentSelectorIsImmutable() {
        let old = Self.deployment { _ in }
        let new = Self.deployment {
            $0.spec.selector = MetaV1.LabelSelector(matchLabels: ["app": "web", "tier": "x"])
            $0.spec.template.metadata?.labels = ["app": "web", "tier": "x"]
        }
        let causes = DeploymentStrategy().validateUpdate(new, old: old)
        #expect(causes.contains { $0.field == "spec.selector" && $0.message.hasSuffix("field is immutable") })
    }

    @Test(arguments: [
        ("*/5 * * * *", nil), ("0 3 * * 1-5", nil), ("@hourly", nil), ("@every 1h", nil), ("0 0 1 jan *", nil),
        ("* * * *", "expected exactly 5 fields, found 4: [* * * *]"),
        ("61 * * * *", "end of range (61) above maximum (59): 61"),
        ("TZ=UTC * * * * *", "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"),
        ("@fortnightly", "unrecognized descriptor: @fortnightly"),
    ] as [(String, String?)])
    func cronSchedules(_ schedule: String, _ problem: String?) {
        #expect(CronScheduleSyntax.problem(in: schedule) == problem)
    }

    @Test func serviceValidation() {
        var service = CoreV1.Service(metadata: MetaV1.ObjectMeta(name: "s"))
        service.spec.ports = [CoreV1.ServicePort(port: 80), CoreV1.ServicePort(port: 81)]
        ServiceStrategy().applyDefaults(&service)
        let rendered = ServiceStrategy().validate(service).map { "\($0.field): \($0.message)" }
        #expect(rendered == ["spec.ports[0].name: Required value", "spec.ports[1].name: Required value"])
        var noPorts = CoreV1.Service(metadata: MetaV1.ObjectMeta(name: "s"))
        ServiceStrategy().applyDefaults(&noPorts)
        #expect(ServiceStrategy().validate(noPorts).map(\.field) == ["spec.ports"])
    }

    @Test(arguments: [("ok.key", true), ("KEY_1", true), ("bad key", false), ("..x", false), (".", false)])
    func configMapKeys(_ key: String, _ valid: Bool) {
        #expect(ConfigDataValidation.keyProblems(key).isEmpty == valid)
    }
}
