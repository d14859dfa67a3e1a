import Foundation
import KubeClient
@testable import KubeControllerManager
import KubeModel
import Testing

/// Cases after upstream's controller_history_test.go: names, stable hashes, equality, order,
/// and creation through name collisions.
@Suite struct ControllerHistoryTests {
    static func set(image: String = "app:1") -> AppsV1.StatefulSet {
        StatefulSetTestCluster.set(replicas: 1, image: image)
    }

    @Test func namesAreOwnerDashHashWithTheOwnerCut() {
        #expect(ControllerHistory.revisionName(prefix: "web", hash: "abc") == "web-abc")
        let long = String(repeating: "a", count: 300)
        let name = ControllerHistory.revisionName(prefix: long, hash: "abc")
        #expect(name == String(repeating: "a", count: 223) + "-abc")
    }

    @Test func hashesAreStableAndSafe() {
        let data = ControllerHistory.templatePatch(Self.set().spec.template)
        let first = ControllerHistory.hash(data: data, probe: nil)
        #expect(first == ControllerHistory.hash(data: data, probe: nil))
        #expect(first.allSatisfy { "bcdfghjklmnpqrstvwxz2456789".contains($0) })
        #expect(first != ControllerHistory.hash(data: data, probe: 1))
        #expect(ControllerHistory.hash(data: data, probe: 1) != ControllerHistory.hash(data: data, probe: 2))
        let other = ControllerHistory.templatePatch(Self.set(image: "app:2").spec.template)
        #expect(first != ControllerHistory.hash(data: other, probe: nil))
    }

    @Test func fnv32OfKnownBytes() {
        // FNV-1 (multiply, then xor) over the serialized data, printed in decimal and safe-encoded.
        let hash = ControllerHistory.hash(data: .string("a"), probe: nil)
        var value: UInt32 = 2_166_136_261
        for byte in Array("\"a\"".utf8) {
            value = value &* 16_777_619
            value ^= UInt32(byte)
        }
        #expect(hash == PodTemplateHash.safeEncode(String(value)))
    }

    @Test func theRevisionDataIsAReplacePatchOfTheTemplate() throws {
        let set = Self.set()
        let data = ControllerHistory.templatePatch(set.spec.template)
        #expect(data["spec"]?["template"]?["$patch"] == .string("replace"))
        #expect(data["spec"]?["replicas"] == nil)
        var revision = AppsV1.ControllerRevision()
        revision.data = data
        #expect(ControllerHistory.template(from: revision) == set.spec.template)
    }

    @Test func newRevisionsAreOwnedLabelledAndNamed() {
        let set = Self.set()
        let data = ControllerHistory.templatePatch(set.spec.template)
        let revision = ControllerHistory.newRevision(owner: set, templateLabels: ["app": "web"], data: data, revision: 3,
                                                     collisionCount: 0)
        let hash = ControllerHistory.hash(data: data, probe: 0)
        #expect(revision.metadata.name == "web-\(hash)")
        #expect(revision.metadata.labels == ["app": "web", "controller.kubernetes.io/hash": hash])
        #expect(revision.metadata.ownerReferences?.first?.uid == "uid-web")
        #expect(revision.metadata.ownerReferences?.first?.controller == true)
        #expect(revision.revision == 3)
    }

    @Test func equalityFollowsTheData() {
        let set = Self.set()
        let a = ControllerHistory.newRevision(owner: set, templateLabels: [:], data: ControllerHistory.templatePatch(set.spec.template),
                                              revision: 1, collisionCount: nil)
        var b = a
        b.revision = 7
        b.metadata.name = "other"
        let c = ControllerHistory.newRevision(owner: set, templateLabels: [:],
                                              data: ControllerHistory.templatePatch(Self.set(image: "app:2").spec.template),
                                              revision: 2, collisionCount: nil)
        #expect(ControllerHistory.equal(a, b))
        #expect(!ControllerHistory.equal(a, c))
        #expect(ControllerHistory.equal(nil, nil))
        #expect(!ControllerHistory.equal(a, nil))
        #expect(ControllerHistory.findEqual([a, c, b], a).map(\.revision) == [1, 7])
    }

    @Test func sortedByRevisionThenCreationThenName() {
        func revision(_ name: String, _ number: Int64, _ created: Int64) -> AppsV1.ControllerRevision {
            var revision = AppsV1.ControllerRevision()
            revision.metadata.name = name
            revision.metadata.creationTimestamp = MetaV1.Time(secondsSinceEpoch: created)
            revision.revision = number
            return revision
        }
        let sorted = ControllerHistory.sorted([revision("c", 2, 5), revision("b", 1, 9), revision("a", 1, 9), revision("d", 1, 3)])
        #expect(sorted.map { $0.metadata.name } == ["d", "a", "b", "c"])
        #expect(ControllerHistory.nextRevision(sorted) == 3)
        #expect(ControllerHistory.nextRevision([]) == 1)
    }

    @Test func creationThroughANameCollisionBumpsTheCount() async throws {
        let harness = ControllerTestHarness()
        let history = RevisionHistory(client: harness.client, revisions: harness.informers.informer(AppsV1.ControllerRevision.self).lister)
        let set = Self.set()
        let data = ControllerHistory.templatePatch(set.spec.template)
        let revision = ControllerHistory.newRevision(owner: set, templateLabels: [:], data: data, revision: 1, collisionCount: 0)
        // Someone else's revision already has the name.
        var squatter = revision
        squatter.data = .object(["other": .bool(true)])
        harness.client.seed(squatter)
        var collisionCount: Int32 = 0
        let created = try await history.create(revision, for: set, collisionCount: &collisionCount)
        #expect(collisionCount == 1)
        #expect(created.metadata.name == "web-\(ControllerHistory.hash(data: data, probe: 1))")
        // The same revision again is found, not duplicated.
        var again: Int32 = 1
        let found = try await history.create(revision, for: set, collisionCount: &again)
        #expect(again == 1)
        #expect(found.metadata.name == created.metadata.name)
    }

    @Test func listKeepsOwnedAndOrphanedRevisions() {
        let harness = ControllerTestHarness()
        let history = RevisionHistory(client: harness.client, revisions: harness.informers.informer(AppsV1.ControllerRevision.self).lister)
        let set = Self.set()
        func revision(_ name: String, owner: String?) -> AppsV1.ControllerRevision {
            var revision = AppsV1.ControllerRevision()
            revision.metadata.name = name
            revision.metadata.namespace = "default"
            revision.metadata.labels = ["app": "web"]
            if let owner {
                revision.metadata.ownerReferences = [MetaV1.OwnerReference(apiVersion: "apps/v1", controller: true, kind: "StatefulSet", name: "x", uid: owner)]
            }
            return revision
        }
        harness.cache(revision("mine", owner: "uid-web"), revision("orphan", owner: nil), revision("theirs", owner: "uid-other"))
        let listed = history.list(for: set, selector: Labels.Selector(matching: ["app": "web"])).compactMap(\.metadata.name).sorted()
        #expect(listed == ["mine", "orphan"])
    }
}
