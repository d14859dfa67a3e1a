import Foundation
import KubeModel
import Testing

/// Wire fidelity, schema-driven: random instances of every generated definition decode and
/// encode back to the same JSON.
@Suite struct RoundTripPropertyTests {
    static let schema: JSONValue = {
        let data = try! Data(contentsOf: RepositoryFiles.schema)
        return try! JSONComparison.parse(data)
    }()

    static let definitionNames = KubeModelRegistry.typesByDefinition.keys.sorted()

    @Test(arguments: definitionNames)
    func randomInstancesRoundTrip(definition: String) throws {
        let type = try #require(KubeModelRegistry.typesByDefinition[definition])
        for seed in 0..<UInt64(20) {
            var generator = RandomInstance(schema: Self.schema, seed: seed &* 7919 &+ UInt64(definition.utf8.count))
            let input = generator.instance(of: definition)
            let data = try JSONEncoder().encode(input)
            let output = try roundTrip(type, data)
            let diff = JSONComparison.difference(input, try JSONComparison.parse(output))
            #expect(diff == nil, "seed \(seed): \(diff ?? "")\ninput: \(String(decoding: data, as: UTF8.self))")
            if diff != nil { return }
        }
    }

    /// Every definition of the generated groups has a Swift type (hand-written or generated).
    @Test func everyDefinitionOfTheGAGroupsHasAType() throws {
        guard case .object(let defs)? = Self.schema["definitions"] else { Issue.record("no definitions"); return }
        let prefixes = ["io.k8s.api.core.v1.", "io.k8s.api.apps.v1.", "io.k8s.api.batch.v1.",
                        "io.k8s.api.rbac.v1.", "io.k8s.apimachinery.pkg.apis.meta.v1.",
                        "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1."]
        let missing = defs.keys.filter { name in
            prefixes.contains { name.hasPrefix($0) } && KubeModelRegistry.typesByDefinition[name] == nil
                && !RandomInstance.handWritten.contains(name) && !name.contains("JSONSchemaPropsOr")
        }
        #expect(missing.isEmpty, "definitions without a generated type: \(missing.sorted())")
        #expect(KubeModelRegistry.objectTypes.count == 66)
    }
}
