import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers are one set of objects, stored as
/// v2 and converted as upstream converts them (cases from upstream's conversion tests).
@Suite struct HorizontalPodAutoscalerVersionTests {
    static let v1Path = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers"
    static let v2Path = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"

    static let v2Body = #"""
    {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"web","annotations":{"team":"a"}},
     "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"minReplicas":2,"maxReplicas":10,
       "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":60}}},
                  {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"500Mi"}}},
                  {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1k"}}}],
       "behavior":{"scaleDown":{"stabilizationWindowSeconds":120}}}}
    """#

    @Test(arguments: [false, true])
    func v1CreateReadsAsV2(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
            let body = #"{"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"api"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"api"},"maxReplicas":5,"targetCPUUtilizationPercentage":70}}"#
            let created = try #require(try await h.object("POST", Self.v1Path, body: body, code: 201) as? AutoscalingV1.HorizontalPodAutoscaler)
            #expect(created.spec.targetCPUUtilizationPercentage == 70)
            #expect(created.spec.minReplicas == 1)
            #expect(created.metadata.annotations == nil)
            let v2 = try #require(try await h.object("GET", Self.v2Path + "/api") as? AutoscalingV2.HorizontalPodAutoscaler)
            #expect(v2.apiVersion == "autoscaling/v2")
            #expect(v2.spec.maxReplicas == 5 && v2.spec.minReplicas == 1)
            #expect(v2.spec.metrics == [HorizontalPodAutoscalerV2Strategy.cpuTarget(70)])
            #expect(v2.metadata.resourceVersion == created.metadata.resourceVersion)
        }
    }

    @Test func v1WithoutTargetMeansEightyPercent() async throws {
        let h = try await RegistryHarness()
        let body = #"{"metadata":{"name":"api"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"api"},"maxReplicas":3}}"#
        _ = try await h.object("POST", Self.v1Path, body: body, code: 201)
        let v2 = try #require(try await h.object("GET", Self.v2Path + "/api") as? AutoscalingV2.HorizontalPodAutoscaler)
        #expect(v2.spec.metrics == [HorizontalPodAutoscalerV2Strategy.cpuTarget(80)])
        let v1 = try #require(try await h.object("GET", Self.v1Path + "/api") as? AutoscalingV1.HorizontalPodAutoscaler)
        #expect(v1.spec.targetCPUUtilizationPercentage == 80)
    }

    @Test(arguments: [false, true])
    func v2OnlyFieldsSurviveAV1Update(cache: Bool) async throws {
        try await RegistryHarness.run(cache: cache) { h in
            _ = try await h.object("POST", Self.v2Path, body: Self.v2Body, code: 201)
            var v1 = try #require(try await h.object("GET", Self.v1Path + "/web") as? AutoscalingV1.HorizontalPodAutoscaler)
            #expect(v1.apiVersion == "autoscaling/v1")
            #expect(v1.spec.targetCPUUtilizationPercentage == 60)
            #expect(v1.spec.minReplicas == 2 && v1.spec.maxReplicas == 10)
            let annotations = v1.metadata.annotations ?? [:]
            #expect(annotations["team"] == "a")
            let metrics = try JSONParser.parse(Array((annotations[HorizontalPodAutoscalerConversion.metricsAnnotation] ?? "").utf8))
            #expect(metrics == .array([
                .object(["type": .string("Resource"), "resource": .object(["name": .string("memory"), "targetAverageValue": .string("500Mi")])]),
                .object(["type": .string("Pods"), "pods": .object(["metricName": .string("qps"), "targetAverageValue": .string("1k")])]),
            ]))
            #expect(annotations[HorizontalPodAutoscalerConversion.behaviorAnnotation] != nil)

            // A v1 client changes what it knows and sends back what it read.
            v1.spec.maxReplicas = 12
            v1.spec.targetCPUUtilizationPercentage = 75
            let body = String(decoding: try JSONEncoder().encode(v1), as: UTF8.self)
            _ = try await h.object("PUT", Self.v1Path + "/web", body: body, code: 200)

            let v2 = try #require(try await h.object("GET", Self.v2Path + "/web") as? AutoscalingV2.HorizontalPodAutoscaler)
            #expect(v2.spec.maxReplicas == 12)
            #expect(v2.metadata.annotations == ["team": "a"])
            #expect(v2.spec.metrics?.map(\.type) == ["Resource", "Pods", "Resource"])
            #expect(v2.spec.metrics?.last == HorizontalPodAutoscalerV2Strategy.cpuTarget(75))
            #expect(v2.spec.metrics?.first?.resource?.target.averageValue == Quantity("500Mi"))
            #expect(v2.spec.behavior?.scaleDown?.stabilizationWindowSeconds == 120)
            #expect(v2.spec.behavior?.scaleUp?.policies?.count == 2, "defaults filled in on create")

            // Both versions list the same objects.
            #expect(try await h.list(Self.v1Path).items.map { $0.apiVersion } == ["autoscaling/v1"])
            #expect(try await h.list(Self.v2Path).items.map { $0.apiVersion } == ["autoscaling/v2"])
        }
    }

    @Test func statusRoundTripsThroughV1() throws {
        let v2 = try JSONParser.parse(Array(#"""
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},
         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":4,"minReplicas":1,
           "metrics":[{"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"Value","value":"30"}}}]},
         "status":{"currentReplicas":2,"desiredReplicas":3,
           "currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":55,"averageValue":"200m"}}},
                             {"type":"External","external":{"metric":{"name":"queue"},"current":{"value":"42"}}}],
           "conditions":[{"type":"AbleToScale","status":"True","reason":"ReadyForNewScale"}]}}
        """#.utf8))
        let v1 = try HorizontalPodAutoscalerConversion.convert(v2, to: "autoscaling/v1")
        #expect(v1.value(at: "status.currentCPUUtilizationPercentage") == .int(55))
        #expect(v1.value(at: "status.desiredReplicas") == .int(3))
        #expect(v1.value(at: "spec.targetCPUUtilizationPercentage") == nil)
        #expect(v1.value(at: "status.currentMetrics") == nil)
        let back = try HorizontalPodAutoscalerConversion.convert(v1, to: "autoscaling/v2")
        #expect(back["spec"] == v2["spec"])
        #expect(back.value(at: "status.conditions") == v2.value(at: "status.conditions"))
        #expect(back.value(at: "status.currentMetrics") == v2.value(at: "status.currentMetrics"))
        #expect(back.value(at: "metadata.annotations") == nil)
    }
}

extension HorizontalPodAutoscalerVersionTests {
    /// Every metric source type survives v2 → v1 → v2.
    @Test func everyMetricTypeRoundTrips() throws {
        let v2 = try JSONParser.parse(Array(#"""
        {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"x"},
         "spec":{"scaleTargetRef":{"kind":"Deployment","name":"x"},"maxReplicas":4,"minReplicas":1,"metrics":[
          {"type":"Object","object":{"describedObject":{"apiVersion":"networking.k8s.io/v1","kind":"Ingress","name":"main"},
             "metric":{"name":"rps","selector":{"matchLabels":{"a":"b"}}},"target":{"type":"Value","value":"10k"}}},
          {"type":"ContainerResource","containerResource":{"name":"memory","container":"app",
             "target":{"type":"Utilization","averageUtilization":70}}},
          {"type":"External","external":{"metric":{"name":"queue"},"target":{"type":"AverageValue","averageValue":"30"}}},
          {"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":50}}}]}}
        """#.utf8))
        let v1 = try HorizontalPodAutoscalerConversion.convert(v2, to: "autoscaling/v1")
        #expect(v1.value(at: "spec.targetCPUUtilizationPercentage") == .int(50))
        let back = try HorizontalPodAutoscalerConversion.convert(v1, to: "autoscaling/v2")
        #expect(back["spec"] == v2["spec"])
    }
}

extension HorizontalPodAutoscalerV2Strategy {
    static func cpuTarget(_ percent: Int32) -> AutoscalingV2.MetricSpec {
        AutoscalingV2.MetricSpec(resource: AutoscalingV2.ResourceMetricSource(
            name: "cpu", target: AutoscalingV2.MetricTarget(averageUtilization: percent, type: "Utilization")), type: "Resource")
    }
}
