import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

@Suite struct ServiceAccountsControllerTests {
    static func namespace(_ name: String, terminating: Bool = false) -> CoreV1.Namespace {
        var namespace = CoreV1.Namespace()
        namespace.metadata.name = name
        namespace.status.phase = terminating ? "Terminating" : "Active"
        return namespace
    }

    static func account(_ name: String, in namespace: String) -> CoreV1.ServiceAccount {
        var account = CoreV1.ServiceAccount()
        account.metadata.name = name
        account.metadata.namespace = namespace
        return account
    }

    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var namespace: CoreV1.Namespace?
        var existing: [CoreV1.ServiceAccount]
        var creates: [String]
        var testDescription: String { label }
    }

    // upstream serviceaccounts_controller_test.go's cases.
    static let cases: [Case] = [
        Case(label: "new active namespace gets default", namespace: namespace("ns"), existing: [], creates: ["ns/default"]),
        Case(label: "existing default is left alone", namespace: namespace("ns"),
             existing: [account("default", in: "ns")], creates: []),
        Case(label: "other accounts do not count", namespace: namespace("ns"),
             existing: [account("builder", in: "ns")], creates: ["ns/default"]),
        Case(label: "terminating namespace gets nothing", namespace: namespace("ns", terminating: true), existing: [], creates: []),
        Case(label: "missing namespace gets nothing", namespace: nil, existing: [], creates: []),
    ]

    @Test(arguments: cases)
    func reconcileMakesMissingDefaultAccounts(_ testCase: Case) async throws {
        let harness = ControllerTestHarness()
        let controller = ServiceAccountsController(context: harness.context)
        if let namespace = testCase.namespace { harness.cache(namespace) }
        for account in testCase.existing { harness.cache(account) }
        try await controller.reconcile("ns")
        #expect(harness.client.writes.filter { $0.verb == "create" }.map { "\($0.namespace)/\($0.name)" } == testCase.creates)
    }

    @Test func anAlreadyExistingAccountIsNotAnError() async throws {
        let harness = ControllerTestHarness(objects: [Self.account("default", in: "ns")])
        let controller = ServiceAccountsController(context: harness.context)
        harness.cache(Self.namespace("ns"))
        try await controller.reconcile("ns")
        #expect(harness.client.writes.map(\.description) == ["create ServiceAccount ns/default"])
    }
}
