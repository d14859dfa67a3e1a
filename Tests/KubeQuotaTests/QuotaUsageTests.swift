import Foundation
import KubeModel
import KubeQuota
import Testing

/// Usage as upstream's quota evaluators count it (pkg/quota/v1/evaluator/core tests).
@Suite struct QuotaUsageTests {
    static func container(_ name: String, requests: [String: Quantity] = [:], limits: [String: Quantity] = [:],
                          restartPolicy: String? = nil) -> CoreV1.Container {
        var container = CoreV1.Container(name: name)
        container.resources = CoreV1.ResourceRequirements(limits: limits.isEmpty ? nil : limits,
                                                          requests: requests.isEmpty ? nil : requests)
        container.restartPolicy = restartPolicy
        return container
    }

    static func pod(_ containers: [CoreV1.Container], initContainers: [CoreV1.Container] = [], phase: String = "Running",
                    overhead: [String: Quantity]? = nil) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.name = "p"
        pod.spec.containers = containers
        pod.spec.initContainers = initContainers.isEmpty ? nil : initContainers
        pod.spec.overhead = overhead
        pod.status.phase = phase
        return pod
    }

    static func text(_ list: [String: Quantity]) -> [String: String] { list.mapValues(\.description) }

    @Test func aPodCountsItsRequestsLimitsAndItself() {
        let pod = Self.pod([Self.container("a", requests: ["cpu": "100m", "memory": "1Gi"], limits: ["cpu": "200m"]),
                            Self.container("b", requests: ["cpu": "300m", "nvidia.com/gpu": "1", "hugepages-2Mi": "4Mi"])])
        #expect(Self.text(QuotaUsage.usage(of: pod, group: "", resource: "pods")) == [
            "count/pods": "1", "pods": "1", "cpu": "400m", "requests.cpu": "400m", "limits.cpu": "200m",
            "memory": "1Gi", "requests.memory": "1Gi", "requests.nvidia.com/gpu": "1", "requests.hugepages-2Mi": "4Mi",
        ])
    }

    @Test(arguments: [
        // An init container larger than the app containers sets the request.
        ([container("app", requests: ["cpu": "100m"])], [container("init", requests: ["cpu": "1"])], nil, "1"),
        // A sidecar adds to the app containers and counts during later init containers.
        ([container("app", requests: ["cpu": "100m"])],
         [container("side", requests: ["cpu": "200m"], restartPolicy: "Always"), container("init", requests: ["cpu": "250m"])], nil, "450m"),
        ([container("app", requests: ["cpu": "100m"])],
         [container("side", requests: ["cpu": "200m"], restartPolicy: "Always"), container("init", requests: ["cpu": "500m"])], nil, "700m"),
        // Overhead is added on top.
        ([container("app", requests: ["cpu": "100m"])], [], ["cpu": "50m"], "150m"),
    ] as [([CoreV1.Container], [CoreV1.Container], [String: Quantity]?, String)])
    func effectiveRequestsFollowPodRequests(containers: [CoreV1.Container], initContainers: [CoreV1.Container],
                                            overhead: [String: Quantity]?, cpu: String) {
        let pod = Self.pod(containers, initContainers: initContainers, overhead: overhead)
        #expect(PodResources.requests(pod)["cpu"]?.description == cpu)
    }

    @Test(arguments: ["Succeeded", "Failed"])
    func aFinishedPodCountsOnlyAsAnObject(phase: String) {
        let pod = Self.pod([Self.container("a", requests: ["cpu": "1"])], phase: phase)
        #expect(Self.text(QuotaUsage.usage(of: pod, group: "", resource: "pods")) == ["count/pods": "1"])
    }

    @Test func servicesCountLoadBalancersAndNodePorts() {
        var service = CoreV1.Service()
        service.spec.type = "LoadBalancer"
        service.spec.ports = [CoreV1.ServicePort(port: 80), CoreV1.ServicePort(port: 443)]
        #expect(Self.text(QuotaUsage.usage(of: service, group: "", resource: "services")) == [
            "count/services": "1", "services": "1", "services.loadbalancers": "1", "services.nodeports": "2",
        ])
    }

    @Test func claimsCountStoragePerClass() {
        var claim = CoreV1.PersistentVolumeClaim()
        claim.spec.storageClassName = "fast"
        claim.spec.resources = CoreV1.VolumeResourceRequirements(requests: ["storage": "10Gi"])
        #expect(Self.text(QuotaUsage.usage(of: claim, group: "", resource: "persistentvolumeclaims")) == [
            "count/persistentvolumeclaims": "1", "persistentvolumeclaims": "1", "requests.storage": "10Gi",
            "fast.storageclass.storage.k8s.io/persistentvolumeclaims": "1", "fast.storageclass.storage.k8s.io/requests.storage": "10Gi",
        ])
    }

    // From upstream persistent_volume_claims_test.go: the larger of request and allocation, in
    // whole bytes, charged to the class the beta annotation names first.
    @Test(arguments: [
        ("10Gi", nil, nil, "fast", "10Gi", "fast"),
        ("10Gi", "12Gi", nil, "fast", "12Gi", "fast"),
        ("10Gi", "8Gi", nil, nil, "10Gi", nil),
        ("1500m", nil, "gold", "fast", "2", "gold"),
    ] as [(String, String?, String?, String?, String, String?)])
    func claimsAreChargedTheirLargerSize(request: String, allocated: String?, annotation: String?, storageClass: String?,
                                         storage: String, chargedClass: String?) {
        var claim = CoreV1.PersistentVolumeClaim()
        claim.spec.resources = CoreV1.VolumeResourceRequirements(requests: ["storage": Quantity.mustParse(request)])
        claim.spec.storageClassName = storageClass
        claim.status.allocatedResources = allocated.map { ["storage": Quantity.mustParse($0)] }
        claim.metadata.annotations = annotation.map { ["volume.beta.kubernetes.io/storage-class": $0] }
        let usage = Self.text(QuotaUsage.usage(of: claim, group: "", resource: "persistentvolumeclaims"))
        #expect(usage["requests.storage"] == storage)
        let classed = usage.keys.filter { $0.hasSuffix(".storageclass.storage.k8s.io/requests.storage") }
        #expect(classed == (chargedClass.map { ["\($0).storageclass.storage.k8s.io/requests.storage"] } ?? []))
    }

    @Test func anUpdateIsChargedOnlyWhatGrows() {
        #expect(Self.text(QuotaUsage.subtractNonNegative(["requests.storage": "8Gi", "services.nodeports": "1", "pods": "1"],
                                                         ["requests.storage": "4Gi", "services.nodeports": "3"]))
                == ["requests.storage": "4Gi", "services.nodeports": "0", "pods": "1"])
    }

    @Test func otherResourcesCountByGroup() {
        #expect(Self.text(QuotaUsage.usage(of: AppsV1.Deployment(), group: "apps", resource: "deployments"))
                == ["count/deployments.apps": "1"])
        #expect(Self.text(QuotaUsage.usage(of: CoreV1.ConfigMap(), group: "", resource: "configmaps"))
                == ["count/configmaps": "1", "configmaps": "1"])
    }

    @Test func containersMustStateWhatAQuotaTracks() {
        let pod = Self.pod([Self.container("app", requests: ["cpu": "1"]), Self.container("log")])
        #expect(QuotaUsage.podConstraintViolation(pod, tracked: ["pods", "requests.cpu", "limits.memory"])
                == "must specify limits.memory for: app,log; requests.cpu for: log")
        #expect(QuotaUsage.podConstraintViolation(pod, tracked: ["pods", "requests.storage"]) == nil)
    }

    @Test func scopesNarrowPods() {
        var quota = CoreV1.ResourceQuota()
        quota.spec.scopes = ["BestEffort", "NotTerminating"]
        let bestEffort = Self.pod([Self.container("a")])
        let burstable = Self.pod([Self.container("a", requests: ["cpu": "1"])])
        var terminating = bestEffort
        terminating.spec.activeDeadlineSeconds = 30
        #expect(QuotaScopes.matches(quota, bestEffort, resource: "pods"))
        #expect(!QuotaScopes.matches(quota, burstable, resource: "pods"))
        #expect(!QuotaScopes.matches(quota, terminating, resource: "pods"))
        #expect(!QuotaScopes.matches(quota, CoreV1.ConfigMap(), resource: "configmaps"))
        var byClass = CoreV1.ResourceQuota()
        byClass.spec.scopeSelector = CoreV1.ScopeSelector(matchExpressions: [
            CoreV1.ScopedResourceSelectorRequirement(operator: "In", scopeName: "PriorityClass", values: ["high"])])
        var high = burstable
        high.spec.priorityClassName = "high"
        #expect(QuotaScopes.matches(byClass, high, resource: "pods"))
        #expect(!QuotaScopes.matches(byClass, burstable, resource: "pods"))
    }

    @Test func prettyPrintSortsByName() {
        #expect(QuotaUsage.prettyPrint(["pods": "2", "limits.cpu": "1500m"]) == "limits.cpu=1500m,pods=2")
    }
}
