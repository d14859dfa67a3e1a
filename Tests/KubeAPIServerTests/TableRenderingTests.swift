import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

struct TableRenderingTests {
    static let durations: [(seconds: Double, text: String)] = [
        (0.0, "0s"), (-1.5, "0s"), (-5.0, "<invalid>"), (5.0, "5s"), (119.0, "119s"), (120.0, "2m"),
        (200.0, "3m20s"), (600.0, "10m"), (179 * 60.0, "179m"), (3 * 3600.0, "3h"), (3 * 3600 + 120.0, "3h2m"),
        (8 * 3600.0, "8h"), (47 * 3600.0, "47h"), (48 * 3600.0, "2d"), (52 * 3600.0, "2d4h"),
        (8 * 86400.0, "8d"), (729 * 86400.0, "729d"), (730 * 86400.0, "2y"), (735 * 86400.0, "2y5d"),
        (8 * 365 * 86400.0, "8y"),
    ]

    @Test(arguments: durations)
    func humanDuration(_ sample: (seconds: Double, text: String)) {
        #expect(HumanDuration.format(sample.seconds) == sample.text)
    }

    static func configMap(_ name: String, createdAt: Int64, resourceVersion: String) -> CoreV1.ConfigMap {
        CoreV1.ConfigMap(
            data: ["a": "b"],
            metadata: MetaV1.ObjectMeta(
                creationTimestamp: MetaV1.Time(secondsSinceEpoch: createdAt), name: name,
                namespace: "default", resourceVersion: resourceVersion))
    }

    static var configMaps: KubeResource {
        KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "configmaps")!
    }

    @Test func defaultTableHasNameAndAge() throws {
        let renderer = ResponseRenderer(tables: TableConvertors(), now: { Date(timeIntervalSince1970: 1_000_300) })
        let data = try renderer.tableJSON(
            resource: Self.configMaps,
            objects: [Self.configMap("c", createdAt: 1_000_000, resourceVersion: "7")],
            metadata: MetaV1.ListMeta(resourceVersion: "9"))
        let table = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(table["kind"] as? String == "Table")
        #expect(table["apiVersion"] as? String == "meta.k8s.io/v1")
        #expect((table["metadata"] as? [String: Any])?["resourceVersion"] as? String == "9")
        let columns = try #require(table["columnDefinitions"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["Name", "Age"])
        #expect(columns[0]["format"] as? String == "name")
        #expect(columns.allSatisfy { $0["priority"] as? Int == 0 })
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["cells"] as? [String] == ["c", "5m"])
        let object = try #require(rows[0]["object"] as? [String: Any])
        #expect(object["kind"] as? String == "ConfigMap")
        #expect(object["apiVersion"] as? String == "v1")
    }

    @Test func listJSONUsesListKind() throws {
        let list = ObjectList(
            resource: Self.configMaps,
            items: [Self.configMap("a", createdAt: 0, resourceVersion: "3")],
            metadata: MetaV1.ListMeta(resourceVersion: "5"))
        let doc = try #require(try JSONSerialization.jsonObject(with: ResponseRenderer.listJSON(list)) as? [String: Any])
        #expect(doc["kind"] as? String == "ConfigMapList")
        #expect(doc["apiVersion"] as? String == "v1")
        #expect((doc["items"] as? [[String: Any]])?.first?["kind"] as? String == "ConfigMap")
    }

    @Test func watchEventAsOneRowTable() throws {
        let renderer = ResponseRenderer(tables: TableConvertors(), now: { Date(timeIntervalSince1970: 10) })
        let event = APIWatchEvent(type: .added, payload: .object(Self.configMap("c", createdAt: 5, resourceVersion: "4")))
        let data = try renderer.eventJSON(event, resource: Self.configMaps, table: true)
        let doc = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(doc["type"] as? String == "ADDED")
        let object = try #require(doc["object"] as? [String: Any])
        #expect(object["kind"] as? String == "Table")
        #expect((object["rows"] as? [[String: Any]])?.first?["cells"] as? [String] == ["c", "5s"])
        let bookmark = APIWatchEvent(type: .bookmark, payload: .bookmark(kind: "ConfigMap", apiVersion: "v1", resourceVersion: "12"))
        let text = String(decoding: try renderer.eventJSON(bookmark, resource: Self.configMaps, table: false), as: UTF8.self)
        #expect(text.contains(#""type":"BOOKMARK""#) && text.contains(#""resourceVersion":"12""#))
    }

    @Test func tokenFileParsesUpstreamFormat() throws {
        let file = try TokenFile(parsing: """
            # comment
            s3cret,alice,1001,"dev,ops"
            t0ken,bob,1002
            """)
        #expect(file.user(forToken: "s3cret") == UserInfo(name: "alice", uid: "1001", groups: ["dev", "ops"]))
        #expect(file.user(forToken: "t0ken") == UserInfo(name: "bob", uid: "1002", groups: []))
        #expect(file.user(forToken: "nope") == nil)
        #expect(throws: TokenFile.ParseError.self) { try TokenFile(parsing: "onlytoken") }
        #expect(RequestAuthenticator.bearerToken("Bearer abc") == "abc")
        #expect(RequestAuthenticator.bearerToken("bearer  abc ") == "abc")
        #expect(RequestAuthenticator.bearerToken("Basic abc") == nil)
    }

    @Test func yamlBodiesBecomeJSON() throws {
        let json = try RequestBodyReader.json(fromYAML: Data("kind: ConfigMap\ndata:\n  a: \"1\"\n".utf8))
        let doc = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(doc["kind"] as? String == "ConfigMap")
        #expect((doc["data"] as? [String: Any])?["a"] as? String == "1")
    }
}
