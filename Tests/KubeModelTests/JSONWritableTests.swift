import Foundation
import KubeModel
import Testing

/// The direct writers (``JSONWritable``) write byte for byte what the tree writers serialize to
/// with sorted keys: the API server stores objects through either, and an update that changes
/// nothing is recognised by comparing the stored bytes.
@Suite struct JSONWritableTests {
    /// Whether `data`, read as a `type`, writes the same bytes both ways (and the bytes).
    static func writersAgree(_ type: any KubeType.Type, _ data: [UInt8]) throws -> (Bool, direct: String, tree: String) {
        func open<T: KubeType>(_ t: T.Type) throws -> (Bool, direct: String, tree: String) {
            var reader = JSONReader(data)
            let value = try T(json: &reader)
            let direct = try value.jsonBytes()
            let tree = try value.jsonValue().serialized(sortedKeys: true)
            return (direct == tree, String(decoding: direct, as: UTF8.self), String(decoding: tree, as: UTF8.self))
        }
        return try open(type)
    }

    @Test(arguments: RoundTripPropertyTests.definitionNames)
    func randomInstancesWriteTheirTreesBytes(definition: String) throws {
        let type = try #require(KubeModelRegistry.typesByDefinition[definition])
        for seed in 0..<UInt64(20) {
            var generator = RandomInstance(schema: RoundTripPropertyTests.schema, seed: seed &* 104_729 &+ UInt64(definition.utf8.count))
            let input = generator.instance(of: definition)
            let (agree, direct, tree) = try Self.writersAgree(type, Array(try JSONEncoder().encode(input)))
            #expect(agree, "seed \(seed):\ndirect: \(direct)\ntree:   \(tree)")
            if !agree { return }
        }
    }

    @Test(arguments: CorpusRoundTripTests.documents)
    func manifestsWriteTheirTreesBytes(document: CorpusRoundTripTests.Document) throws {
        let apiVersion = try #require(document.json["apiVersion"]?.stringValue)
        let kind = try #require(document.json["kind"]?.stringValue)
        let type = try #require(CorpusRoundTripTests.typesByKind["\(apiVersion)/\(kind)"])
        let (agree, direct, tree) = try Self.writersAgree(type, Array(try JSONEncoder().encode(document.json)))
        #expect(agree, "\(document):\ndirect: \(direct)\ntree:   \(tree)")
    }

    /// Values the random instances rarely produce: escapes, non-ASCII keys in maps (sorted as
    /// Swift sorts strings), doubles, empty and absent collections.
    @Test func edgeValuesWriteTheirTreesBytes() throws {
        let pod = #"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"é":"1","z":"2","a\"b":"3","A":"\n\t<&>"},
             "annotations":{}},"spec":{"containers":[],"priority":-7,"overhead":{"cpu":"1.5"},
             "securityContext":{"sysctls":[{"name":"x\u0001","value":"\u2028"}]},"nodeSelector":{"k":""}}}
            """#
        let (agree, direct, tree) = try Self.writersAgree(CoreV1.Pod.self, Array(pod.utf8))
        #expect(agree, "direct: \(direct)\ntree:   \(tree)")
        let hpa = #"""
            {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"h"},
             "spec":{"maxReplicas":3,"scaleTargetRef":{"kind":"Deployment","name":"d"},
             "behavior":{"scaleUp":{"tolerance":"0.05","policies":[]}}}}
            """#
        let (hpaAgree, hpaDirect, hpaTree) = try Self.writersAgree(AutoscalingV2.HorizontalPodAutoscaler.self, Array(hpa.utf8))
        #expect(hpaAgree, "direct: \(hpaDirect)\ntree:   \(hpaTree)")
    }
}
