import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// LimitRanger and ResourceQuota admission on pod creation, with upstream's messages.
@Suite("Registry: LimitRanger and ResourceQuota admission")
struct RegistryAdmissionLimitsTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let limitRanges = "/api/v1/namespaces/default/limitranges"
    static let quotas = "/api/v1/namespaces/default/resourcequotas"

    static func pod(_ name: String, requests: String = "", limits: String = "") -> String {
        var resources: [String] = []
        if !requests.isEmpty { resources.append(#""requests":{\#(requests)}"#) }
        if !limits.isEmpty { resources.append(#""limits":{\#(limits)}"#) }
        return #"{"metadata":{"name":"\#(name)"},"spec":{"containers":[{"name":"app","image":"app:1","resources":{\#(resources.joined(separator: ","))}}]}}"#
    }

    @Test func limitRangeDefaultsAreFilledInAndAnnotated() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.limitRanges, body: """
            {"metadata":{"name":"defaults"},"spec":{"limits":[{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},"defaultRequest":{"cpu":"100m"}}]}}
            """)
        let pod = try #require(try await h.object("POST", Self.pods, body: Self.pod("web", limits: #""memory":"128Mi""#)) as? CoreV1.Pod)
        let resources = pod.spec.containers[0].resources
        #expect(resources?.requests?["cpu"]?.description == "100m")
        #expect(resources?.limits?["cpu"]?.description == "500m")
        #expect(resources?.limits?["memory"]?.description == "128Mi")
        // The memory request comes from API defaulting (requests default to limits), not LimitRanger.
        #expect(resources?.requests?["memory"]?.description == "128Mi")
        #expect(pod.metadata.annotations?["kubernetes.io/limit-ranger"]
                == "LimitRanger plugin set: cpu request for container app; cpu limit for container app")
    }

    @Test(arguments: [
        (#""cpu":"50m""#, #""cpu":"100m""#, "minimum cpu usage per Container is 100m, but request is 50m"),
        (#""cpu":"1""#, #""cpu":"2""#, "maximum cpu usage per Container is 1, but limit is 2"),
        (#""cpu":"100m""#, #""cpu":"1""#, "cpu max limit to request ratio per Container is 4, but provided ratio is 10.000000"),
    ])
    func podsOutsideTheBoundsAreForbidden(requests: String, limits: String, message: String) async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.limitRanges, body: """
            {"metadata":{"name":"bounds"},"spec":{"limits":[{"type":"Container","min":{"cpu":"100m"},"max":{"cpu":"1"},"maxLimitRequestRatio":{"cpu":"4"}}]}}
            """)
        let error = await h.error("POST", Self.pods, body: Self.pod("web", requests: requests, limits: limits))
        #expect(error?.code == 403)
        #expect(error?.message == "pods \"web\" is forbidden: \(message)")
    }

    @Test func quotaReservesUsageAndRefusesWhatExceedsIt() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.quotas, body: #"{"metadata":{"name":"small"},"spec":{"hard":{"pods":"2","requests.cpu":"1"}}}"#)
        // The controller has not computed the usage yet.
        let unknown = await h.error("POST", Self.pods, body: Self.pod("a", requests: #""cpu":"400m""#))
        #expect(unknown?.code == 403)
        #expect(unknown?.message == "pods \"a\" is forbidden: status unknown for quota: small, resources: pods,requests.cpu")

        _ = try await h.object("PATCH", "\(Self.quotas)/small/status", body: """
            {"status":{"hard":{"pods":"2","requests.cpu":"1"},"used":{"pods":"0","requests.cpu":"0"}}}
            """, contentType: "application/merge-patch+json")
        _ = try await h.object("POST", Self.pods, body: Self.pod("a", requests: #""cpu":"400m""#))
        var quota = try #require(try await h.object("GET", "\(Self.quotas)/small") as? CoreV1.ResourceQuota)
        #expect(quota.status.used?["pods"]?.description == "1")
        #expect(quota.status.used?["requests.cpu"]?.description == "400m")

        let tooMuchCPU = await h.error("POST", Self.pods, body: Self.pod("b", requests: #""cpu":"700m""#))
        #expect(tooMuchCPU?.message
                == "pods \"b\" is forbidden: exceeded quota: small, requested: requests.cpu=700m, used: requests.cpu=400m, limited: requests.cpu=1")
        let noRequest = await h.error("POST", Self.pods, body: Self.pod("c"))
        #expect(noRequest?.message == "pods \"c\" is forbidden: failed quota: small: must specify requests.cpu for: app")

        _ = try await h.object("POST", Self.pods, body: Self.pod("d", requests: #""cpu":"100m""#))
        let third = await h.error("POST", Self.pods, body: Self.pod("e", requests: #""cpu":"100m""#))
        #expect(third?.message == "pods \"e\" is forbidden: exceeded quota: small, requested: pods=1, used: pods=2, limited: pods=2")
        quota = try #require(try await h.object("GET", "\(Self.quotas)/small") as? CoreV1.ResourceQuota)
        #expect(quota.status.used?["pods"]?.description == "2")
        #expect(quota.status.used?["requests.cpu"]?.description == "500m")
    }

    @Test func objectCountsAreQuotaedByResourceAndGroup() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.quotas, body: #"{"metadata":{"name":"counts"},"spec":{"hard":{"configmaps":"1"}}}"#)
        _ = try await h.object("PATCH", "\(Self.quotas)/counts/status", body: #"{"status":{"hard":{"configmaps":"1"},"used":{"configmaps":"1"}}}"#,
                               contentType: "application/merge-patch+json")
        let error = await h.error("POST", "/api/v1/namespaces/default/configmaps", body: #"{"metadata":{"name":"extra"}}"#)
        #expect(error?.message == "configmaps \"extra\" is forbidden: exceeded quota: counts, requested: configmaps=1, used: configmaps=1, limited: configmaps=1")
        // Pods are not counted by a quota on config maps.
        _ = try await h.object("POST", Self.pods, body: Self.pod("free"))
    }

    /// Quotas are read from the watch cache first; concurrent creates race on the quota's
    /// compare-and-swap, and the losers read the store again: exactly the quota's worth pass.
    @Test func concurrentCreatesNeverOverrunAQuota() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.quotas, body: #"{"metadata":{"name":"five"},"spec":{"hard":{"pods":"5"}}}"#)
        _ = try await h.object("PATCH", "\(Self.quotas)/five/status", body: #"{"status":{"hard":{"pods":"5"},"used":{"pods":"0"}}}"#,
                               contentType: "application/merge-patch+json")
        let created = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<12 {
                group.addTask { (try? await h.object("POST", Self.pods, body: Self.pod("p\(index)"))) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(created == 5)
        let quota = try #require(try await h.object("GET", "\(Self.quotas)/five") as? CoreV1.ResourceQuota)
        #expect(quota.status.used?["pods"]?.description == "5")
    }
}
