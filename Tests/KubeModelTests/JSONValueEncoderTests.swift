import Foundation
import KubeModel
import Testing

/// `JSONValueEncoder` gives the tree that `JSONEncoder` + `JSONParser` give, for random
/// instances of every definition and for the odd cases generated code never produces.
@Suite struct JSONValueEncoderTests {
    @Test(arguments: RoundTripPropertyTests.definitionNames)
    func sameTreeAsEncodingAndParsing(definition: String) throws {
        let type = try #require(KubeModelRegistry.typesByDefinition[definition])
        for seed in 0..<UInt64(5) {
            var generator = RandomInstance(schema: RoundTripPropertyTests.schema,
                                           seed: seed &* 104_729 &+ UInt64(definition.utf8.count))
            let data = try JSONEncoder().encode(generator.instance(of: definition))
            let (viaText, direct) = try Self.trees(type, data)
            #expect(viaText == direct, "seed \(seed): \(String(decoding: data, as: UTF8.self))")
            if viaText != direct { return }
        }
    }

    static func trees(_ type: any KubeType.Type, _ data: Data) throws -> (JSONValue, JSONValue) {
        func open<T: KubeType>(_ t: T.Type) throws -> (JSONValue, JSONValue) {
            let value = try JSONDecoder().decode(T.self, from: data)
            return (try JSONParser.parse(JSONEncoder().encode(value)), try JSONValueEncoder().encode(value))
        }
        return try open(type)
    }

    struct Odd: Encodable {
        var big: UInt64 = .max
        var small: Int8 = -3
        var ratio: Float = 0.5
        var explicitNull: String? = nil
        var nested = ["a": [1, 2]]

        enum CodingKeys: String, CodingKey { case big, small, ratio, explicitNull, nested, inner, list }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(big, forKey: .big)
            try c.encode(small, forKey: .small)
            try c.encode(ratio, forKey: .ratio)
            try c.encode(explicitNull, forKey: .explicitNull)
            try c.encode(nested, forKey: .nested)
            var inner = c.nestedContainer(keyedBy: CodingKeys.self, forKey: .inner)
            try inner.encode("x", forKey: .explicitNull)
            var list = c.nestedUnkeyedContainer(forKey: .list)
            try list.encode(true)
            var element = list.nestedContainer(keyedBy: CodingKeys.self)
            try element.encode(1, forKey: .small)
            try list.encodeNil()
        }
    }

    @Test func nestedContainersNumbersAndNulls() throws {
        let tree = try JSONValueEncoder().encode(Odd())
        #expect(tree == .object([
            "big": .double(Double(UInt64.max)), "small": .int(-3), "ratio": .double(0.5), "explicitNull": .null,
            "nested": .object(["a": .array([.int(1), .int(2)])]),
            "inner": .object(["explicitNull": .string("x")]),
            "list": .array([.bool(true), .object(["small": .int(1)]), .null]),
        ]))
    }

    @Test func nonFiniteNumbersAreAnError() {
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode([Double.nan]) }
        #expect(throws: EncodingError.self) { try JSONValueEncoder().encode(["x": Double.infinity]) }
    }

    @Test func scalarsAndJSONValuesPassThrough() throws {
        #expect(try JSONValueEncoder().encode("s") == .string("s"))
        #expect(try JSONValueEncoder().encode(JSONValue.array([.null])) == .array([.null]))
        #expect(try JSONValueEncoder().encode(["k": JSONValue.int(1)]) == .object(["k": .int(1)]))
    }
}
