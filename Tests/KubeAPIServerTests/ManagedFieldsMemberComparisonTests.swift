import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// An update's managedFields come from comparing only the top-level members that changed
/// (`jsonValues(ofMembersDifferingFrom:)`): for every change of the upstream field manager cases,
/// the entries are the ones the comparison of the whole objects gives.
struct ManagedFieldsMemberComparisonTests {
    typealias Entry = MetaV1.ManagedFieldsEntry
    static let created = ManagedFieldsTests.createdPod

    static func pod(_ text: String) throws -> CoreV1.Pod { try CoreV1.Pod.decode(Array(text.utf8)) }

    static func editing(_ change: (inout CoreV1.Pod) -> Void) throws -> CoreV1.Pod {
        var pod = try pod(created)
        change(&pod)
        return pod
    }

    static let changes: [(String, String?, @Sendable (inout CoreV1.Pod) -> Void)] = [
        ("image changed", nil, { $0.spec.containers[0].image = "nginx:2" }),
        ("label added", nil, { $0.metadata.labels?["tier"] = "web" }),
        ("labels removed", nil, { $0.metadata.labels = nil }),
        ("container removed", nil, { $0.spec.containers = [] }),
        ("nothing changed", nil, { _ in }),
        ("only managedFields changed", nil, {
            $0.metadata.managedFields = [Entry(apiVersion: "v1", fieldsType: "FieldsV1", manager: "other", operation: "Update")]
        }),
        ("status written", "status", { $0.status.phase = "Running"; $0.status.podIP = "10.0.0.1" }),
        ("status written through the main resource", nil, { $0.status.phase = "Running" }),
        ("spec and metadata changed", nil, { $0.spec.containers[0].image = "nginx:3"; $0.metadata.annotations = ["a": "b"] }),
    ]

    @Test(arguments: changes.indices)
    func theChangedMembersRecordWhatTheWholeObjectsRecord(_ index: Int) throws {
        let (_, subresource, change) = Self.changes[index]
        let old = try Self.pod(Self.created)
        let new = try Self.editing(change)
        let gvk = ManagedFieldsTests.pod
        let entries = ManagedFields.recordUpdate(old: nil, new: try old.jsonValue(), manager: "kubectl-create", entries: [],
                                                 gvk: gvk, now: ManagedFieldsTests.t0)
        let whole = ManagedFields.recordUpdate(old: try old.jsonValue(), new: try new.jsonValue(), manager: "editor",
                                               subresource: subresource, entries: entries, gvk: gvk, now: ManagedFieldsTests.t1)
        let members = try new.jsonValues(ofMembersDifferingFrom: old)
        let changed = ManagedFields.recordUpdate(old: members.other, new: members.mine, manager: "editor",
                                                 subresource: subresource, entries: entries, gvk: gvk, now: ManagedFieldsTests.t1)
        #expect(changed == whole, "\(Self.changes[index].0)")
    }

    @Test func onlyTheMembersThatDifferAreBuilt() throws {
        let old = try Self.pod(Self.created)
        var renewed = old
        renewed.status.phase = "Running"
        renewed.metadata.managedFields = [Entry(manager: "kubelet", operation: "Update")]
        let members = try renewed.jsonValues(ofMembersDifferingFrom: old)
        #expect(members.mine == .object(["status": .object(["phase": .string("Running")])]))
        #expect(members.other == .object(["status": .object([:])]))
        let same = try old.jsonValues(ofMembersDifferingFrom: old)
        #expect(same.mine == .object([:]) && same.other == .object([:]))
    }
}
