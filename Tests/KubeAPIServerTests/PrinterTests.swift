import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Shared fixtures of the printer tests: a fixed `now`, times relative to it, and rows rendered
/// as kubectl shows them (priority-0 columns unless `wide`).
enum PrinterFixture {
    static let nowSeconds: Int64 = 1_700_000_000
    static let now = Date(timeIntervalSince1970: TimeInterval(nowSeconds))

    static func ago(_ seconds: Int64) -> MetaV1.Time { MetaV1.Time(secondsSinceEpoch: nowSeconds - seconds) }
    static func microAgo(_ seconds: Int64) -> MetaV1.MicroTime { MetaV1.MicroTime(ago(seconds)) }
    /// Upstream's tests create objects 1.9s in the future, which reads as "0s".
    static let justCreated = MetaV1.Time(secondsSinceEpoch: nowSeconds + 1)
    static let minute: Int64 = 60, hour: Int64 = 3600, day: Int64 = 86400

    static func meta(_ name: String, created: MetaV1.Time? = nil, deleted: MetaV1.Time? = nil,
                     labels: [String: String]? = nil, annotations: [String: String]? = nil) -> MetaV1.ObjectMeta {
        MetaV1.ObjectMeta(annotations: annotations, creationTimestamp: created, deletionTimestamp: deleted,
                          labels: labels, name: name)
    }

    /// The cells as JSON values, checked against the column count.
    static func values(_ convertor: any TableConvertor, _ object: any KubeObject, wide: Bool = false) -> [JSONValue] {
        let cells = convertor.cells(for: object, now: now)
        #expect(cells.count == convertor.columns.count)
        return zip(convertor.columns, cells).filter { wide || $0.0.priority == 0 }.map(\.1)
    }

    /// The cells as text (numbers and booleans spelled out), as kubectl prints them.
    static func row(_ convertor: any TableConvertor, _ object: any KubeObject, wide: Bool = false) -> [String] {
        values(convertor, object, wide: wide).map(text)
    }

    static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): return s
        case .int(let i): return String(i)
        case .bool(let b): return String(b)
        case .double(let d): return String(d)
        case .null: return "<null>"
        case .array, .object: return "\(value)"
        }
    }

    static func containers(_ pairs: [(String, String)]) -> [CoreV1.Container] {
        pairs.map { CoreV1.Container(image: $0.1, name: $0.0) }
    }

    static func template(_ pairs: [(String, String)], labels: [String: String]? = nil,
                         nodeSelector: [String: String]? = nil) -> CoreV1.PodTemplateSpec {
        CoreV1.PodTemplateSpec(metadata: labels.map { MetaV1.ObjectMeta(labels: $0) },
                               spec: CoreV1.PodSpec(containers: containers(pairs), nodeSelector: nodeSelector))
    }

    static let twoContainers = [("fake-container1", "fake-image1"), ("fake-container2", "fake-image2")]
}

struct PrinterTests {
    typealias F = PrinterFixture

    /// Every listable built-in resource either has its own convertor reading its Swift type, or
    /// upstream's NAME/CREATED AT default; every row is as wide as the columns.
    @Test func everyBuiltInResourceHasUpstreamColumns() throws {
        let createdAt: Set<String> = [
            "limitranges", "roles.rbac.authorization.k8s.io", "clusterroles.rbac.authorization.k8s.io",
            "customresourcedefinitions.apiextensions.k8s.io",
        ]
        // Upstream prints these with NAME/AGE-only or has no printer we mirror yet.
        let fallback: Set<String> = [
            "ipaddresses.networking.k8s.io", "volumeattributesclasses.storage.k8s.io",
        ]
        for resource in KubeResourceCatalog.builtIn.resources where resource.listType != nil {
            let convertor = TableConvertors.builtIn.convertor(for: resource)
            let object = try JSONDecoder().decode(resource.type, from: Data("{}".utf8))
            let cells = convertor.cells(for: object, now: F.now)
            #expect(cells.count == convertor.columns.count, "\(resource.groupResource)")
            #expect(convertor.columns.first { $0.format == "name" && $0.name == "Name" } != nil, "\(resource.groupResource)")
            if createdAt.contains(resource.groupResource) {
                #expect(convertor.columns.map(\.name) == ["Name", "Created At"])
            } else if fallback.contains(resource.groupResource) {
                #expect(convertor.columns.map(\.name) == ["Name", "Age"])
            } else {
                #expect(convertor.columns.map(\.name) != ["Name", "Age"], "\(resource.groupResource) has no columns")
            }
            if let typed = convertor as? any TypedTableConvertor {
                #expect(ObjectIdentifier(Self.objectType(typed)) == ObjectIdentifier(resource.type), "\(resource.groupResource)")
            }
        }
    }

    static func objectType<C: TypedTableConvertor>(_ convertor: C) -> any KubeObject.Type { C.Object.self }

    @Test func objectOfAnotherKindGetsNameAndAgeOnly() {
        let configMap = CoreV1.ConfigMap(metadata: F.meta("c", created: F.ago(300)))
        #expect(F.row(PodTableConvertor(), configMap, wide: true) == ["c", "", "", "", "5m", "", "", "", ""])
    }

    @Test func rendererUsesBuiltInColumnsByDefault() throws {
        let renderer = ResponseRenderer(now: { PrinterFixture.now })
        let pods = try #require(KubeResourceCatalog.builtIn.resource(group: "", version: "v1", resource: "pods"))
        let pod = CoreV1.Pod(metadata: F.meta("web", created: F.ago(120)),
                             spec: CoreV1.PodSpec(containers: F.containers([("app", "nginx")])),
                             status: CoreV1.PodStatus(phase: "Pending"))
        let data = try renderer.tableJSON(resource: pods, objects: [pod], metadata: MetaV1.ListMeta())
        let table = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let columns = try #require(table["columnDefinitions"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == [
            "Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates",
        ])
        #expect(columns.map { $0["priority"] as? Int } == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        let rows = try #require(table["rows"] as? [[String: Any]])
        #expect(rows.first?["cells"] as? [String] == ["web", "0/1", "Pending", "0", "2m", "<none>", "<none>", "<none>", "<none>"])
    }

    /// Upstream's `TestTranslateTimestampSince`.
    static let ages: [(MetaV1.Time?, String)] = [
        (MetaV1.Time(secondsSinceEpoch: PrinterFixture.nowSeconds + 3), "<invalid>"),
        (PrinterFixture.justCreated, "0s"),
        (PrinterFixture.ago(0), "0s"),
        (nil, "<unknown>"),
        (PrinterFixture.ago(30), "30s"),
        (PrinterFixture.ago(300), "5m"),
        (PrinterFixture.ago(6000), "100m"),
        (PrinterFixture.ago(2 * 86400), "2d"),
        (PrinterFixture.ago(90 * 86400), "90d"),
        (PrinterFixture.ago(10 * 365 * 86400), "10y"),
    ]

    @Test(arguments: ages)
    func age(_ sample: (MetaV1.Time?, String)) {
        #expect(Printers.since(sample.0, now: F.now) == sample.1)
    }

    @Test func createdAtIsRFC3339() {
        let role = RbacV1.Role(metadata: F.meta("reader", created: MetaV1.Time(secondsSinceEpoch: 1_700_000_000)))
        #expect(F.row(CreatedAtTableConvertor(), role) == ["reader", "2023-11-14T22:13:20Z"])
        #expect(F.row(CreatedAtTableConvertor(), RbacV1.ClusterRole(metadata: F.meta("x"))) == ["x", "0001-01-01T00:00:00Z"])
        #expect(CreatedAtTableConvertor().columns[1].type == "date")
    }

    static let labelCases: [([String: String]?, String)] = [
        (nil, "<none>"), ([:], "<none>"), (["b": "2", "a": "1"], "a=1,b=2"),
    ]

    @Test(arguments: labelCases)
    func formatLabels(_ sample: ([String: String]?, String)) {
        #expect(Printers.formatLabels(sample.0) == sample.1)
    }

    @Test func formatLabelSelector() {
        #expect(Printers.formatLabelSelector(nil) == "<none>")
        #expect(Printers.formatLabelSelector(MetaV1.LabelSelector()) == "<none>")
        let selector = MetaV1.LabelSelector(
            matchExpressions: [MetaV1.LabelSelectorRequirement(key: "tier", operator: "In", values: ["web", "api"])],
            matchLabels: ["app": "x"])
        #expect(Printers.formatLabelSelector(selector) == "app=x,tier in (api,web)")
        #expect(Printers.formatLabelSelector(MetaV1.LabelSelector(
            matchExpressions: [MetaV1.LabelSelectorRequirement(key: "k", operator: "Bogus")])) == "<error>")
        #expect(Printers.selectorString(nil) == "")
    }
}
