import Foundation
import KubeModel
import Testing
import Yams

/// Wire fidelity on realistic manifests: every document in Corpus/*.yaml decodes into its kind
/// and encodes back to the same JSON; together they cover every kind.
@Suite struct CorpusRoundTripTests {
    struct Document: CustomStringConvertible, Sendable {
        let file: String
        let index: Int
        let json: JSONValue
        var description: String { "\(file)#\(index)" }
    }

    static let documents: [Document] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: RepositoryFiles.corpus.path)) ?? []
        var docs: [Document] = []
        for file in files.sorted() where file.hasSuffix(".yaml") {
            let text = try! String(contentsOf: RepositoryFiles.corpus.appendingPathComponent(file), encoding: .utf8)
            for (i, doc) in try! Yams.load_all(yaml: text).enumerated() {
                docs.append(Document(file: file, index: i, json: YAMLToJSON.convert(doc)))
            }
        }
        return docs
    }()

    static let typesByKind: [String: any KubeType.Type] = {
        var m: [String: any KubeType.Type] = [:]
        for t in KubeModelRegistry.objectTypes { m["\(t.groupVersionKind.apiVersion)/\(t.groupVersionKind.kind)"] = t }
        for t in KubeModelRegistry.listTypes { m["\(t.groupVersionKind.apiVersion)/\(t.groupVersionKind.kind)"] = t }
        return m
    }()

    @Test(arguments: documents)
    func manifestRoundTrips(document: Document) throws {
        let apiVersion = try #require(document.json["apiVersion"]?.stringValue)
        let kind = try #require(document.json["kind"]?.stringValue)
        let type = try #require(Self.typesByKind["\(apiVersion)/\(kind)"], "unknown kind \(apiVersion)/\(kind)")
        let input = try JSONEncoder().encode(document.json)
        let output = try JSONComparison.parse(try roundTrip(type, input))
        let diff = JSONComparison.difference(document.json, output)
        #expect(diff == nil, "\(document): \(diff ?? "")")
    }

    @Test func corpusCoversEveryKind() {
        let covered = Set(Self.documents.compactMap { d -> String? in
            guard let v = d.json["apiVersion"]?.stringValue, let k = d.json["kind"]?.stringValue else { return nil }
            return "\(v)/\(k)"
        })
        let missing = KubeModelRegistry.objectTypes
            .map { "\($0.groupVersionKind.apiVersion)/\($0.groupVersionKind.kind)" }
            .filter { !covered.contains($0) }
            .sorted()
        #expect(missing.isEmpty, "kinds without a corpus manifest: \(missing.joined(separator: ", "))")
    }
}

/// Yams' native values (String, Int, Double, Bool, arrays, maps, nil) as `JSONValue`.
enum YAMLToJSON {
    static func convert(_ any: Any?) -> JSONValue {
        switch any {
        case nil: return .null
        case is NSNull: return .null
        case let b as Bool: return .bool(b)
        case let i as Int: return .int(Int64(i))
        case let d as Double: return .double(d)
        case let s as String: return .string(s)
        case let a as [Any?]: return .array(a.map(convert))
        case let a as [Any]: return .array(a.map(convert))
        case let o as [String: Any?]: return .object(o.mapValues(convert))
        case let o as [String: Any]: return .object(o.mapValues(convert))
        case let o as [AnyHashable: Any]:
            return .object(Dictionary(uniqueKeysWithValues: o.map { ("\($0.key)", convert($0.value)) }))
        default: return .string("\(any!)")
        }
    }
}
