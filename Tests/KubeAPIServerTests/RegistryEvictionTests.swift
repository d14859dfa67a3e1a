import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

@Suite("Registry: pods/eviction")
struct RegistryEvictionTests {
    static let pods = "/api/v1/namespaces/default/pods"
    static let budgets = "/apis/policy/v1/namespaces/default/poddisruptionbudgets"

    func runningPod(_ h: RegistryHarness, _ name: String) async throws {
        _ = try await h.createPod(name, labels: ["app": "web"])
        _ = try await h.object("PATCH", "\(Self.pods)/\(name)/status", body: #"{"status":{"phase":"Running"}}"#,
                               contentType: "application/merge-patch+json")
    }

    func eviction(_ name: String) -> String {
        #"{"apiVersion":"policy/v1","kind":"Eviction","metadata":{"name":"\#(name)","namespace":"default"}}"#
    }

    func setBudgetStatus(_ h: RegistryHarness, allowed: Int) async throws {
        _ = try await h.object("PATCH", "\(Self.budgets)/web/status", body: """
            {"status":{"observedGeneration":1,"disruptionsAllowed":\(allowed),"currentHealthy":2,"desiredHealthy":2,"expectedPods":2}}
            """, contentType: "application/merge-patch+json")
    }

    @Test func budgetBlocksThenAllowsOneEviction() async throws {
        let h = try await RegistryHarness()
        try await runningPod(h, "a")
        try await runningPod(h, "b")
        _ = try await h.object("POST", Self.budgets, body: #"{"metadata":{"name":"web"},"spec":{"minAvailable":1,"selector":{"matchLabels":{"app":"web"}}}}"#)

        // The budget controller has not reported on the budget yet.
        let pending = await h.error("POST", "\(Self.pods)/a/eviction", body: eviction("a"))
        #expect(pending?.code == 429)
        #expect(pending?.status.details?.causes?.first?.message == "The disruption budget web is still being processed by the server.")

        try await setBudgetStatus(h, allowed: 0)
        let blocked = await h.error("POST", "\(Self.pods)/a/eviction", body: eviction("a"))
        #expect(blocked?.code == 429)
        #expect(blocked?.message == "Cannot evict pod as it would violate the pod's disruption budget.")
        #expect(blocked?.status.details?.causes?.first?.reason == "DisruptionBudget")
        #expect(blocked?.status.details?.causes?.first?.message == "The disruption budget web needs 2 healthy pods and has 2 currently")

        try await setBudgetStatus(h, allowed: 1)
        guard case .status(let status, let code) = try await h.call("POST", "\(Self.pods)/a/eviction", body: eviction("a")) else {
            Issue.record("an eviction answers with a Status")
            return
        }
        #expect(code == 201)
        #expect(status.status == "Success")
        #expect(await h.error("GET", "\(Self.pods)/a")?.code == 404)
        let budget = try #require(try await h.object("GET", "\(Self.budgets)/web") as? PolicyV1.PodDisruptionBudget)
        #expect(budget.status.disruptionsAllowed == 0)
        #expect(budget.status.disruptedPods?["a"] != nil)
        #expect(budget.status.conditions?.first?.reason == "InsufficientPods")

        // The budget is spent: the next eviction waits for the controller.
        #expect(await h.error("POST", "\(Self.pods)/b/eviction", body: eviction("b"))?.code == 429)
    }

    @Test func podsOutsideBudgetsAndPendingPodsAreDeleted() async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("pending", labels: ["app": "web"])
        _ = try await h.object("POST", Self.budgets, body: #"{"metadata":{"name":"web"},"spec":{"maxUnavailable":0,"selector":{"matchLabels":{"app":"web"}}}}"#)
        guard case .status(_, 201) = try await h.call("POST", "\(Self.pods)/pending/eviction", body: eviction("pending")) else {
            Issue.record("a pending pod is evicted whatever its budget says")
            return
        }
        #expect(await h.error("GET", "\(Self.pods)/pending")?.code == 404)
    }

    /// policy/v1: an empty selector covers every pod of the namespace, labelled or not; a
    /// missing one covers none.
    @Test(arguments: [
        (#","selector":{}"#, ["app": "web"], 429),
        (#","selector":{}"#, [:], 429),
        ("", ["app": "web"], 201),
        (#","selector":{"matchLabels":{"app":"other"}}"#, ["app": "web"], 201),
    ] as [(String, [String: String], Int)])
    func whichBudgetsCoverAPod(selector: String, labels: [String: String], code: Int) async throws {
        let h = try await RegistryHarness()
        _ = try await h.createPod("a", labels: labels)
        _ = try await h.object("PATCH", "\(Self.pods)/a/status", body: #"{"status":{"phase":"Running"}}"#,
                               contentType: "application/merge-patch+json")
        _ = try await h.object("POST", Self.budgets, body: #"{"metadata":{"name":"web"},"spec":{"minAvailable":1\#(selector)}}"#)
        try await setBudgetStatus(h, allowed: 0)
        let result: Int
        do {
            guard case .status(_, let created) = try await h.call("POST", "\(Self.pods)/a/eviction", body: eviction("a")) else {
                Issue.record("an eviction answers with a Status")
                return
            }
            result = created
        } catch {
            #expect(error.message == "Cannot evict pod as it would violate the pod's disruption budget.")
            #expect(error.status.details?.causes?.first?.message == "The disruption budget web needs 2 healthy pods and has 2 currently")
            result = Int(error.code)
        }
        #expect(result == code)
    }

    @Test func mismatchedNameAndMissingPod() async throws {
        let h = try await RegistryHarness()
        #expect(await h.error("POST", "\(Self.pods)/a/eviction", body: eviction("other"))?.message
            == "name in URL does not match name in Eviction object")
        #expect(await h.error("POST", "\(Self.pods)/a/eviction", body: eviction("a"))?.code == 404)
    }
}
