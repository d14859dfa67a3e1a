import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// ResourceQuota admission on updates (the increase is charged: claim expansion, service type
/// changes) and LimitRanger on PersistentVolumeClaims, with upstream's messages.
@Suite("Registry: quota and LimitRanger on updates and claims")
struct RegistryAdmissionUpdateTests {
    static let claims = "/api/v1/namespaces/default/persistentvolumeclaims"
    static let services = "/api/v1/namespaces/default/services"
    static let limitRanges = "/api/v1/namespaces/default/limitranges"
    static let quotas = "/api/v1/namespaces/default/resourcequotas"
    static let gold = "gold.storageclass.storage.k8s.io/requests.storage"

    static func claim(_ name: String, storage: String, storageClass: String? = nil) -> String {
        let classField = storageClass.map { #","storageClassName":"\#($0)""# } ?? ""
        return #"{"metadata":{"name":"\#(name)"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"\#(storage)"}}\#(classField)}}"#
    }

    /// Marks the claim Bound, as the PersistentVolume controller does: only bound claims may grow.
    static func markBound(_ h: RegistryHarness, _ name: String) async throws {
        _ = try await h.object("PATCH", "\(Self.claims)/\(name)/status", body: #"{"status":{"phase":"Bound"}}"#,
                               contentType: "application/merge-patch+json")
    }

    static func resize(_ storage: String) -> String {
        #"{"spec":{"resources":{"requests":{"storage":"\#(storage)"}}}}"#
    }

    /// A quota whose usage the controller has computed as `used`.
    static func quota(_ h: RegistryHarness, _ name: String, hard: [String: String], used: [String: String]) async throws {
        let hardJSON = RegistryHarness.json(hard)
        _ = try await h.object("POST", Self.quotas, body: #"{"metadata":{"name":"\#(name)"},"spec":{"hard":\#(hardJSON)}}"#)
        _ = try await h.object("PATCH", "\(Self.quotas)/\(name)/status",
                               body: #"{"status":{"hard":\#(hardJSON),"used":\#(RegistryHarness.json(used))}}"#,
                               contentType: "application/merge-patch+json")
    }

    static func used(_ h: RegistryHarness, _ name: String) async throws -> [String: String] {
        let quota = try #require(try await h.object("GET", "\(Self.quotas)/\(name)") as? CoreV1.ResourceQuota)
        return (quota.status.used ?? [:]).mapValues(\.description)
    }

    // MARK: ResourceQuota on update

    @Test(arguments: [
        // Expansion within the quota is charged the increase.
        (nil, "requests.storage", "8Gi", nil, "8Gi"),
        (nil, "requests.storage", "4Gi", nil, "4Gi"),
        (nil, "requests.storage", "12Gi",
         "exceeded quota: storage, requested: requests.storage=8Gi, used: requests.storage=4Gi, limited: requests.storage=10Gi", "4Gi"),
        // A class-scoped quota only sees claims of its class.
        ("gold", gold, "6Gi", nil, "6Gi"),
        ("gold", gold, "11Gi",
         "exceeded quota: storage, requested: \(gold)=7Gi, used: \(gold)=4Gi, limited: \(gold)=10Gi", "4Gi"),
    ] as [(String?, String, String, String?, String)])
    func claimExpansionIsChargedTheIncrease(storageClass: String?, tracked: String, newSize: String,
                                            message: String?, usedAfter: String) async throws {
        let h = try await RegistryHarness()
        try await Self.quota(h, "storage", hard: [tracked: "10Gi"], used: [tracked: "0"])
        _ = try await h.object("POST", Self.claims, body: Self.claim("data", storage: "4Gi", storageClass: storageClass))
        try await Self.markBound(h, "data")
        #expect(try await Self.used(h, "storage")[tracked] == "4Gi")

        let error = await h.error("PATCH", "\(Self.claims)/data", body: Self.resize(newSize),
                                  contentType: "application/merge-patch+json")
        #expect(error?.code == (message == nil ? Int32?.none : 403))
        #expect(error?.message == message.map { "persistentvolumeclaims \"data\" is forbidden: \($0)" })
        #expect(try await Self.used(h, "storage")[tracked] == usedAfter)
    }

    @Test func aClassScopedQuotaIgnoresOtherClasses() async throws {
        let h = try await RegistryHarness()
        try await Self.quota(h, "gold", hard: [Self.gold: "1Gi"], used: [Self.gold: "0"])
        _ = try await h.object("POST", Self.claims, body: Self.claim("data", storage: "4Gi", storageClass: "silver"))
        try await Self.markBound(h, "data")
        _ = try await h.object("PATCH", "\(Self.claims)/data", body: Self.resize("40Gi"), contentType: "application/merge-patch+json")
        #expect(try await Self.used(h, "gold")[Self.gold] == "0")
    }

    @Test func aGrowingAllocationIsChargedButNotRefused() async throws {
        let h = try await RegistryHarness()
        try await Self.quota(h, "storage", hard: ["requests.storage": "10Gi"], used: ["requests.storage": "0"])
        _ = try await h.object("POST", Self.claims, body: Self.claim("data", storage: "4Gi"))
        try await Self.markBound(h, "data")
        // The resizer reports a larger allocation than the quota allows: a status write is charged, not refused.
        _ = try await h.object("PATCH", "\(Self.claims)/data/status", body: #"{"status":{"allocatedResources":{"storage":"12Gi"}}}"#,
                               contentType: "application/merge-patch+json")
        #expect(try await Self.used(h, "storage")["requests.storage"] == "12Gi")
    }

    @Test(arguments: [
        (["services.nodeports": "1"], "NodePort", 2,
         "exceeded quota: ports, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1", [String: String]?.none),
        (["services.nodeports": "2"], "NodePort", 2, nil, ["services.nodeports": "2"]),
        (["services.loadbalancers": "0"], "LoadBalancer", 1,
         "exceeded quota: ports, requested: services.loadbalancers=1, used: services.loadbalancers=0, limited: services.loadbalancers=0", nil),
        (["services.loadbalancers": "1", "services.nodeports": "1"], "LoadBalancer", 1, nil,
         ["services.loadbalancers": "1", "services.nodeports": "1"]),
    ] as [([String: String], String, Int, String?, [String: String]?)])
    func aServiceTypeChangeIsCharged(hard: [String: String], type: String, ports: Int, message: String?,
                                     usedAfter: [String: String]?) async throws {
        let h = try await RegistryHarness()
        try await Self.quota(h, "ports", hard: hard, used: hard.mapValues { _ in "0" })
        let portList = (0..<ports).map { #"{"name":"p\#($0)","port":\#(8080 + $0)}"# }.joined(separator: ",")
        _ = try await h.object("POST", Self.services, body: #"{"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[\#(portList)]}}"#)
        #expect(try await Self.used(h, "ports") == hard.mapValues { _ in "0" })

        let error = await h.error("PATCH", "\(Self.services)/web", body: #"{"spec":{"type":"\#(type)"}}"#,
                                  contentType: "application/merge-patch+json")
        #expect(error?.message == message.map { "services \"web\" is forbidden: \($0)" })
        #expect(try await Self.used(h, "ports") == usedAfter ?? hard.mapValues { _ in "0" })
        let stored = try #require(try await h.object("GET", "\(Self.services)/web") as? CoreV1.Service)
        #expect((stored.spec.type ?? "ClusterIP") == (message == nil ? type : "ClusterIP"))
    }

    // MARK: LimitRanger on claims

    static let storageBounds = #"{"metadata":{"name":"storage"},"spec":{"limits":[{"type":"PersistentVolumeClaim","min":{"storage":"1Gi"},"max":{"storage":"10Gi"}}]}}"#

    @Test(arguments: [
        ("500Mi", "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"),
        ("20Gi", "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi"),
        ("5Gi", nil),
        ("1Gi", nil),
        ("10Gi", nil),
    ] as [(String, String?)])
    func claimsOutsideTheStorageBoundsAreForbidden(storage: String, message: String?) async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.limitRanges, body: Self.storageBounds)
        let error = await h.error("POST", Self.claims, body: Self.claim("data", storage: storage))
        #expect(error?.code == (message == nil ? Int32?.none : 403))
        #expect(error?.message == message.map { "persistentvolumeclaims \"data\" is forbidden: \($0)" })
    }

    @Test(arguments: [
        ("20Gi", "maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 20Gi"),
        ("500Mi", "minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 500Mi"),
        ("8Gi", nil),
    ] as [(String, String?)])
    func claimUpdatesAreCheckedToo(storage: String, message: String?) async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.limitRanges, body: Self.storageBounds)
        _ = try await h.object("POST", Self.claims, body: Self.claim("data", storage: "5Gi"))
        try await Self.markBound(h, "data")
        let error = await h.error("PATCH", "\(Self.claims)/data", body: Self.resize(storage),
                                  contentType: "application/merge-patch+json")
        #expect(error?.message == message.map { "persistentvolumeclaims \"data\" is forbidden: \($0)" })
    }

    @Test func aStoredRequestIsNotCheckedAgain() async throws {
        let h = try await RegistryHarness()
        _ = try await h.object("POST", Self.claims, body: Self.claim("data", storage: "50Gi"))
        try await Self.markBound(h, "data")
        _ = try await h.object("POST", Self.limitRanges, body: Self.storageBounds)
        // The claim predates the LimitRange: an update that keeps its request passes.
        _ = try await h.object("PATCH", "\(Self.claims)/data", body: #"{"metadata":{"labels":{"tier":"db"}}}"#,
                               contentType: "application/merge-patch+json")
        let error = await h.error("PATCH", "\(Self.claims)/data", body: Self.resize("60Gi"),
                                  contentType: "application/merge-patch+json")
        #expect(error?.message
                == "persistentvolumeclaims \"data\" is forbidden: maximum storage usage per PersistentVolumeClaim is 10Gi, but request is 60Gi")
    }
}
