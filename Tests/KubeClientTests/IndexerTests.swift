import KubeClient
import KubeModel
import Testing

/// The informer cache: keys, the namespace index, custom indexes kept current through updates
/// and deletes, and listers (client-go's `cache` package behaviour).
@Suite struct IndexerTests {
    static func pod(_ namespace: String, _ name: String, node: String? = nil, labels: [String: String] = [:]) -> CoreV1.Pod {
        var pod = CoreV1.Pod()
        pod.metadata.namespace = namespace
        pod.metadata.name = name
        pod.metadata.labels = labels.isEmpty ? nil : labels
        pod.spec.nodeName = node
        return pod
    }

    static func byNode() -> Indexer<CoreV1.Pod> {
        Indexer(indexes: ["node": { pod in pod.spec.nodeName.map { [$0] } ?? [] }])
    }

    @Test func keysAreNamespaceSlashNameOrName() {
        #expect(Indexer<CoreV1.Pod>.key(of: Self.pod("default", "web")) == "default/web")
        var node = CoreV1.Node()
        node.metadata.name = "n1"
        #expect(Indexer<CoreV1.Node>.key(of: node) == "n1")
    }

    @Test func customIndexFollowsUpdatesAndDeletes() {
        let indexer = Self.byNode()
        indexer.upsert(Self.pod("a", "p1", node: "n1"))
        indexer.upsert(Self.pod("a", "p2", node: "n1"))
        indexer.upsert(Self.pod("b", "p3"))
        #expect(Set(indexer.objects(index: "node", value: "n1").map { $0.metadata.name! }) == ["p1", "p2"])
        #expect(indexer.values(index: "node") == ["n1"])
        // p2 moves to n2; p1 goes away.
        indexer.upsert(Self.pod("a", "p2", node: "n2"))
        indexer.delete(key: "a/p1")
        #expect(indexer.objects(index: "node", value: "n1").isEmpty)
        #expect(indexer.values(index: "node") == ["n2"])
        #expect(indexer.objects(index: "namespace", value: "a").map { $0.metadata.name! } == ["p2"])
        #expect(indexer.objects(index: "nope", value: "x").isEmpty)
        #expect(indexer.count == 2)
    }

    @Test func replaceStartsOver() {
        let indexer = Self.byNode()
        indexer.upsert(Self.pod("a", "old", node: "n1"))
        indexer.replace(with: [Self.pod("a", "new", node: "n2")])
        #expect(indexer.keys == ["a/new"])
        #expect(indexer.objects(index: "node", value: "n1").isEmpty)
        #expect(indexer.objects(index: "node", value: "n2").count == 1)
    }

    @Test func listerFiltersByNamespaceAndSelector() throws {
        let indexer = Self.byNode()
        indexer.upsert(Self.pod("a", "web-1", labels: ["app": "web"]))
        indexer.upsert(Self.pod("a", "db-1", labels: ["app": "db"]))
        indexer.upsert(Self.pod("b", "web-2", labels: ["app": "web"]))
        let lister = Lister(indexer)
        let web = try Labels.Selector(parsing: "app=web")
        #expect(Set(lister.list(web).map { $0.metadata.name! }) == ["web-1", "web-2"])
        #expect(lister.list(namespace: "a", web).map { $0.metadata.name! } == ["web-1"])
        #expect(lister.list(namespace: "a").count == 2)
        #expect(lister.get(namespace: "b", name: "web-2") != nil)
        #expect(lister.get(namespace: "a", name: "web-2") == nil)
    }
}
