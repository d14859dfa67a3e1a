import Foundation
@testable import KubeControllerManager
import KubeModel
import Testing

/// upstream replica_calculator_test.go's resource cases: pods named `test-pod-N` with two
/// containers requesting the same amount, metrics per container, a 2 minute cpu
/// initialization period, a 10 s initial readiness delay and a tolerance of 0.1.
@Suite struct HorizontalPodAutoscalerReplicaCalculatorTests {
    enum Start: Sendable { case zero, hot, cool }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var currentReplicas: Int32
        var expectedReplicas: Int32 = 0
        var expectedError: String?
        var requests: [String]
        var levels: [[Int64]]
        var podNames: [String] = []
        var targetUtilization: Int32
        var expectedUtilization: Int32 = 0
        var expectedValue: Int64 = 0
        var container = ""
        var readiness: [Bool] = []
        var startTimes: [Start] = []
        var phases: [String] = []
        var deleting: [Bool] = []
        var testDescription: String { name }
    }

    static let calculator = ReplicaCalculator(cpuInitializationPeriod: .seconds(120), delayOfInitialReadinessStatus: .seconds(10))
    static let selector = Labels.Selector(matching: ["name": "test-pod"])

    /// `makePodMetricLevels`: each level for both containers of a pod.
    static func levels(_ values: Int64...) -> [[Int64]] { values.map { [$0, $0] } }
    static func requests(_ count: Int, _ value: String = "1.0") -> [String] { Array(repeating: value, count: count) }

    static func pods(_ testCase: Case, now: Date) -> [CoreV1.Pod] {
        let count = max(Int(testCase.currentReplicas), testCase.phases.count)
        return (0..<count).map { index in
            var pod = CoreV1.Pod()
            pod.metadata.name = "test-pod-\(index)"
            pod.metadata.namespace = "test-namespace"
            pod.metadata.labels = ["name": "test-pod"]
            if index < testCase.deleting.count, testCase.deleting[index] { pod.metadata.deletionTimestamp = MetaV1.Time(now) }
            var containers = [CoreV1.Container(name: "container1"), CoreV1.Container(name: "container2")]
            if index < testCase.requests.count {
                for slot in containers.indices {
                    containers[slot].resources = CoreV1.ResourceRequirements(requests: ["cpu": Quantity.mustParse(testCase.requests[index])])
                }
            }
            pod.spec.containers = containers
            pod.status.phase = index < testCase.phases.count ? testCase.phases[index] : "Running"
            switch index < testCase.startTimes.count ? testCase.startTimes[index] : .zero {
            case .zero: pod.status.startTime = MetaV1.Time(secondsSinceEpoch: 0)
            case .hot: pod.status.startTime = MetaV1.Time(now)
            case .cool: pod.status.startTime = MetaV1.Time(now.addingTimeInterval(-180))
            }
            let ready = index < testCase.readiness.count ? testCase.readiness[index] : true
            pod.status.conditions = [CoreV1.PodCondition(status: ready ? "True" : "False", type: "Ready")]
            return pod
        }
    }

    static func metrics(_ testCase: Case) -> [MetricsV1beta1.PodMetrics] {
        testCase.levels.enumerated().map { index, levels in
            var metadata = MetaV1.ObjectMeta()
            metadata.name = index < testCase.podNames.count ? testCase.podNames[index] : "test-pod-\(index)"
            metadata.namespace = "test-namespace"
            metadata.labels = ["name": "test-pod"]
            let containers = (0..<2).map { slot in
                slot < levels.count
                    ? MetricsV1beta1.ContainerMetrics(name: "container\(slot + 1)", usage: ["cpu": Quantity(milli: levels[slot])])
                    : MetricsV1beta1.ContainerMetrics(name: "", usage: [:])
            }
            return MetricsV1beta1.PodMetrics(metadata: metadata, timestamp: MetaV1.Time(secondsSinceEpoch: 0), window: "1m0s",
                                             containers: containers)
        }
    }

    static let cases: [Case] = [
        Case(name: "DisjointResourcesMetrics", currentReplicas: 1, expectedError: "no metrics returned matched known pods",
             requests: requests(1), levels: levels(100), podNames: ["an-older-pod-name"], targetUtilization: 100),
        Case(name: "ScaleUp", currentReplicas: 3, expectedReplicas: 5, requests: requests(3), levels: levels(300, 500, 700),
             targetUtilization: 30, expectedUtilization: 50, expectedValue: 2 * 500),
        Case(name: "ContainerScaleUp", currentReplicas: 3, expectedReplicas: 5, requests: requests(3),
             levels: [[1000, 300], [1000, 500], [1000, 700]], targetUtilization: 30, expectedUtilization: 50, expectedValue: 500,
             container: "container2"),
        Case(name: "ScaleUpUnreadyLessScale", currentReplicas: 3, expectedReplicas: 4, requests: requests(3),
             levels: levels(300, 500, 700), targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600,
             readiness: [false, true, true]),
        Case(name: "ScaleUpContainerHotCpuLessScale", currentReplicas: 3, expectedReplicas: 4, requests: requests(3),
             levels: [[0, 300], [0, 500], [0, 700]], targetUtilization: 30, expectedUtilization: 60, expectedValue: 600,
             container: "container2", startTimes: [.hot, .cool, .cool]),
        Case(name: "ScaleUpHotCpuLessScale", currentReplicas: 3, expectedReplicas: 4, requests: requests(3),
             levels: levels(300, 500, 700), targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600,
             startTimes: [.hot, .cool, .cool]),
        Case(name: "ScaleUpUnreadyNoScale", currentReplicas: 3, expectedReplicas: 3, requests: requests(3),
             levels: levels(400, 500, 700), targetUtilization: 30, expectedUtilization: 40, expectedValue: 2 * 400,
             readiness: [true, false, false]),
        Case(name: "ScaleHotCpuNoScale", currentReplicas: 3, expectedReplicas: 3, requests: requests(3),
             levels: levels(400, 500, 700), targetUtilization: 30, expectedUtilization: 40, expectedValue: 2 * 400,
             readiness: [true, false, false], startTimes: [.cool, .hot, .hot]),
        Case(name: "ScaleUpIgnoresFailedPods", currentReplicas: 2, expectedReplicas: 4, requests: requests(4),
             levels: levels(500, 700), targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600,
             readiness: [true, true, false, false], phases: ["Running", "Running", "Failed", "Failed"]),
        Case(name: "MissingContainerMetricScaleUpIgnoresFailedPods", currentReplicas: 2, expectedReplicas: 4, requests: requests(4),
             levels: [[1000, 500], [9000, 700], [1000], [9000]], targetUtilization: 30, expectedUtilization: 60, expectedValue: 600,
             container: "container2", readiness: [true, true, false, false], phases: ["Running", "Running", "Failed", "Failed"]),
        Case(name: "ScaleUpIgnoresDeletionPods", currentReplicas: 2, expectedReplicas: 4, requests: requests(4),
             levels: levels(500, 700), targetUtilization: 30, expectedUtilization: 60, expectedValue: 2 * 600,
             readiness: [true, true, false, false], phases: ["Running", "Running", "Running", "Running"],
             deleting: [false, false, true, true]),
        Case(name: "ScaleDown", currentReplicas: 5, expectedReplicas: 3, requests: requests(5),
             levels: levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 28, expectedValue: 2 * 280),
        Case(name: "ContainerScaleDown", currentReplicas: 5, expectedReplicas: 3, requests: requests(5),
             levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
             expectedUtilization: 28, expectedValue: 280, container: "container2"),
        Case(name: "ScaleDownExcludeUnreadyPods", currentReplicas: 5, expectedReplicas: 2, requests: requests(5),
             levels: levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 30, expectedValue: 2 * 300,
             readiness: [true, true, true, false, false]),
        Case(name: "ScaleDownExcludeUnscheduledPods", currentReplicas: 5, expectedReplicas: 1, requests: requests(5),
             levels: levels(100), targetUtilization: 50, expectedUtilization: 10, expectedValue: 2 * 100,
             readiness: [true, false, false, false, false], phases: ["Running", "Pending", "Pending", "Pending", "Pending"]),
        Case(name: "ScaleDownIgnoreHotCpuPods", currentReplicas: 5, expectedReplicas: 2, requests: requests(5),
             levels: levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 30, expectedValue: 2 * 300,
             startTimes: [.cool, .cool, .cool, .hot, .hot]),
        Case(name: "ScaleDownIgnoresFailedPods", currentReplicas: 5, expectedReplicas: 3, requests: requests(7),
             levels: levels(100, 300, 500, 250, 250), targetUtilization: 50, expectedUtilization: 28, expectedValue: 2 * 280,
             readiness: [true, true, true, true, true, false, false],
             phases: ["Running", "Running", "Running", "Running", "Running", "Failed", "Failed"]),
        Case(name: "ScaleDownIgnoresDeletionPods_StillRunning", currentReplicas: 5, expectedReplicas: 3, requests: requests(7),
             levels: [[1000, 100], [1000, 300], [1000, 500], [1000, 250], [1000, 250]], targetUtilization: 50,
             expectedUtilization: 28, expectedValue: 280, container: "container2",
             readiness: [true, true, true, true, true, false, false],
             phases: Array(repeating: "Running", count: 7), deleting: [false, false, false, false, false, true, true]),
        Case(name: "Tolerance", currentReplicas: 3, expectedReplicas: 3, requests: ["0.9", "1.0", "1.1"],
             levels: levels(1010, 1030, 1020), targetUtilization: 100, expectedUtilization: 102, expectedValue: 2 * 1020),
        Case(name: "SuperfluousMetrics", currentReplicas: 4, expectedReplicas: 24, requests: requests(4),
             levels: levels(4000, 9500, 3000, 7000, 3200, 2000), targetUtilization: 100, expectedUtilization: 587,
             expectedValue: 2 * 5875),
        Case(name: "MissingMetrics", currentReplicas: 4, expectedReplicas: 3, requests: requests(4), levels: levels(400, 95),
             targetUtilization: 100, expectedUtilization: 24, expectedValue: 495),
        Case(name: "EmptyMetrics", currentReplicas: 4,
             expectedError: "unable to get metrics for resource cpu: no metrics returned from resource metrics API",
             requests: requests(3), levels: [], targetUtilization: 100),
        Case(name: "EmptyCPURequest", currentReplicas: 1, expectedError: "missing request for", requests: [], levels: levels(200),
             targetUtilization: 100),
        Case(name: "MissingMetricsNoChangeEq", currentReplicas: 2, expectedReplicas: 2, requests: requests(2), levels: levels(1000),
             targetUtilization: 100, expectedUtilization: 100, expectedValue: 2 * 1000),
        Case(name: "MissingMetricsNoChangeGt", currentReplicas: 2, expectedReplicas: 2, requests: requests(2), levels: levels(1900),
             targetUtilization: 100, expectedUtilization: 190, expectedValue: 2 * 1900),
        Case(name: "MissingMetricsNoChangeLt", currentReplicas: 2, expectedReplicas: 2, requests: requests(2), levels: levels(600),
             targetUtilization: 100, expectedUtilization: 60, expectedValue: 2 * 600),
        Case(name: "MissingMetricsUnreadyChange", currentReplicas: 3, expectedReplicas: 3, requests: requests(3),
             levels: levels(100, 450), targetUtilization: 50, expectedUtilization: 45, expectedValue: 2 * 450,
             readiness: [false, true, true]),
    ]

    @Test(arguments: cases)
    func resourceReplicas(_ testCase: Case) async throws {
        let now = Date()
        let source = StaticResourceMetricsSource(Self.metrics(testCase))
        do {
            let (metrics, _) = try await ReplicaCalculator.resourceMetrics(
                source, resource: "cpu", namespace: "test-namespace", selector: Self.selector, container: testCase.container)
            let result = try Self.calculator.resourceReplicas(
                currentReplicas: testCase.currentReplicas, targetUtilization: testCase.targetUtilization, resource: "cpu",
                tolerances: Tolerances(0.1), pods: Self.pods(testCase, now: now), metrics: metrics, container: testCase.container,
                now: now)
            #expect(testCase.expectedError == nil, "expected an error: \(testCase.expectedError ?? "")")
            #expect(result.replicas == testCase.expectedReplicas)
            #expect(result.utilization == testCase.expectedUtilization)
            #expect(result.rawUtilization == testCase.expectedValue)
        } catch {
            let expected = try #require(testCase.expectedError, "unexpected error: \(error)")
            #expect("\(error)".contains(expected))
        }
    }

    struct PlainCase: Sendable, CustomTestStringConvertible {
        var name: String
        var currentReplicas: Int32
        var expectedReplicas: Int32
        var levels: [Int64]
        var targetUsage: Int64
        var expectedUsage: Int64
        var readiness: [Bool] = []
        var testDescription: String { name }
    }

    // upstream's pods-metric cases (calcPlainMetricReplicas, also used for AverageValue resource targets).
    static let plainCases: [PlainCase] = [
        PlainCase(name: "ScaleUpCM", currentReplicas: 3, expectedReplicas: 4, levels: [20000, 10000, 30000], targetUsage: 15000,
                  expectedUsage: 20000),
        PlainCase(name: "ScaleUpCMUnreadyHotCpuNoLessScale", currentReplicas: 3, expectedReplicas: 6,
                  levels: [50000, 10000, 30000], targetUsage: 15000, expectedUsage: 30000, readiness: [true, true, false]),
        PlainCase(name: "ScaleDownCM", currentReplicas: 5, expectedReplicas: 3, levels: [12000, 12000, 12000, 12000, 12000],
                  targetUsage: 20000, expectedUsage: 12000),
        PlainCase(name: "ToleranceCM", currentReplicas: 3, expectedReplicas: 3, levels: [20000, 21000, 21000], targetUsage: 20000,
                  expectedUsage: 20666),
        PlainCase(name: "PlainMetricReplicaCalcMissingMetricsNoChangeEq", currentReplicas: 5, expectedReplicas: 5,
                  levels: [20000, 19000, 21000], targetUsage: 20000, expectedUsage: 20000),
    ]

    @Test(arguments: plainCases)
    func plainMetricReplicas(_ testCase: PlainCase) throws {
        let now = Date()
        let shape = Case(name: testCase.name, currentReplicas: testCase.currentReplicas, requests: [], levels: [],
                         targetUtilization: 0, readiness: testCase.readiness)
        var metrics = PodMetricsInfo()
        for (index, level) in testCase.levels.enumerated() {
            metrics["test-pod-\(index)"] = PodMetric(timestamp: now, window: .seconds(60), value: level)
        }
        let result = try Self.calculator.plainMetricReplicas(
            currentReplicas: testCase.currentReplicas, targetUsage: testCase.targetUsage, resource: "qps", tolerances: Tolerances(0.1),
            pods: Self.pods(shape, now: now), metrics: metrics, now: now)
        #expect(result.replicas == testCase.expectedReplicas)
        #expect(result.usage == testCase.expectedUsage)
    }

    @Test func requestsSumContainersAndSidecarsOrUsePodLevelRequests() throws {
        var pod = CoreV1.Pod()
        pod.metadata.name = "p"
        pod.spec.containers = [
            CoreV1.Container(name: "a", resources: CoreV1.ResourceRequirements(requests: ["cpu": "100m"])),
            CoreV1.Container(name: "b", resources: CoreV1.ResourceRequirements(requests: ["cpu": "200m"])),
        ]
        pod.spec.initContainers = [
            CoreV1.Container(name: "init", resources: CoreV1.ResourceRequirements(requests: ["cpu": "1"])),
            CoreV1.Container(name: "sidecar", resources: CoreV1.ResourceRequirements(requests: ["cpu": "50m"]), restartPolicy: "Always"),
        ]
        #expect(try ReplicaCalculator.requests([pod], container: "", resource: "cpu") == ["p": 350])
        #expect(try ReplicaCalculator.requests([pod], container: "b", resource: "cpu") == ["p": 200])
        #expect(throws: ReplicaCalculationError("container c not found in Pod p")) {
            try ReplicaCalculator.requests([pod], container: "c", resource: "cpu")
        }
        #expect(throws: ReplicaCalculationError("missing request for memory in container a of Pod p")) {
            try ReplicaCalculator.requests([pod], container: "", resource: "memory")
        }
        pod.spec.resources = CoreV1.ResourceRequirements(requests: ["cpu": "2"])
        #expect(try ReplicaCalculator.requests([pod], container: "", resource: "cpu") == ["p": 2000])
        // A named container wins over pod-level requests.
        #expect(try ReplicaCalculator.requests([pod], container: "a", resource: "cpu") == ["p": 100])
    }

    @Test func goDurationsParse() {
        #expect(ResourceMetrics.parseGoDuration("1m0s") == .seconds(60))
        #expect(ResourceMetrics.parseGoDuration("20s") == .seconds(20))
        #expect(ResourceMetrics.parseGoDuration("1.5s") == .milliseconds(1500))
        #expect(ResourceMetrics.parseGoDuration("bogus") == nil)
    }
}
