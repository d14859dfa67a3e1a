import Foundation
import KubeModel
import Testing

/// `JSONValueDecoder` gives the value `JSONDecoder` gives, for random instances of every
/// definition, and refuses what `JSONDecoder` refuses.
@Suite struct JSONValueDecoderTests {
    @Test(arguments: RoundTripPropertyTests.definitionNames)
    func sameValueAsJSONDecoder(definition: String) throws {
        let type = try #require(KubeModelRegistry.typesByDefinition[definition])
        for seed in 0..<UInt64(5) {
            var generator = RandomInstance(schema: RoundTripPropertyTests.schema,
                                           seed: seed &* 15_485_863 &+ UInt64(definition.utf8.count))
            let data = try JSONEncoder().encode(generator.instance(of: definition))
            let same = try Self.decodesAlike(type, data)
            #expect(same, "seed \(seed): \(String(decoding: data, as: UTF8.self))")
            if !same { return }
        }
    }

    static func decodesAlike(_ type: any KubeType.Type, _ data: Data) throws -> Bool {
        func open<T: KubeType>(_ t: T.Type) throws -> Bool {
            try JSONDecoder().decode(T.self, from: data) == JSONValueDecoder().decode(T.self, from: JSONParser.parse(data))
        }
        return try open(type)
    }

    static let refused: [(String, String)] = [
        (#"{"metadata":{"name":3}}"#, "a number for a string"),
        (#"{"spec":{"replicas":"3"}}"#, "a string for an integer"),
        (#"{"spec":{"replicas":1.5}}"#, "a fraction for an integer"),
        (#"{"spec":{"replicas":3000000000}}"#, "an int32 out of range"),
        (#"{"spec":{"paused":"true"}}"#, "a string for a bool"),
        (#"{"spec":{"template":{"spec":{"containers":{}}}}}"#, "an object for a list"),
        (#"{"metadata":{"labels":[]}}"#, "a list for a map"),
    ]

    @Test(arguments: refused)
    func refusesWhatJSONDecoderRefuses(json: String, what: String) throws {
        let data = Data(json.utf8)
        #expect(throws: (any Error).self, "JSONDecoder: \(what)") { try JSONDecoder().decode(AppsV1.Deployment.self, from: data) }
        #expect(throws: DecodingError.self, "JSONValueDecoder: \(what)") {
            try JSONValueDecoder().decode(AppsV1.Deployment.self, from: JSONParser.parse(data))
        }
    }

    @Test func nullOptionalsAreAbsentAndJSONValuesPassThrough() throws {
        let tree = try JSONParser.parse(Data(#"{"metadata":{"name":null,"annotations":{"a":"b"}},"spec":null}"#.utf8))
        let map = try JSONValueDecoder().decode(CoreV1.ConfigMap.self, from: tree)
        #expect(map.metadata.name == nil)
        #expect(map.metadata.annotations == ["a": "b"])
        let raw = JSONValue.object(["x": .array([.null, .int(1)])])
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: raw) == raw)
    }
}
