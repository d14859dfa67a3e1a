import Foundation
import Testing
@testable import KubeModel

@Suite struct JSONParserTests {
    @Test(arguments: [
        (#"{"a":1}"#, JSONValue.object(["a": .int(1)])),
        (#" [1, 2.5, -3, 1e3, true, false, null] "#,
         .array([.int(1), .double(2.5), .int(-3), .double(1000), .bool(true), .bool(false), .null])),
        (#""a\"b\\c\/d\n\u00e9\ud83d\ude00""#, .string("a\"b\\c/d\né😀")),
        (#"{"nested":{"list":[{}, []]}}"#, .object(["nested": .object(["list": .array([.object([:]), .array([])])])])),
        ("9223372036854775807", .int(Int64.max)),
        ("9223372036854775808", .double(9223372036854775808)),
        (#""\u0000""#, .string("\u{0}")),
        ("\t{ \"a\" :\n[ \"x\" ,\r\"y\" ] }\n", .object(["a": .array([.string("x"), .string("y")])])),
        (#""plain then \" escaped""#, .string("plain then \" escaped")),
    ])
    func parsesValid(_ text: String, _ expected: JSONValue) throws {
        #expect(try JSONParser.parse(Array(text.utf8)) == expected)
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "{\"a\" 1}", "01", "1.", "-", "tru", "\"abc", "{\"a\":1}x",
        "[1 2]", "{'a':1}", "\"\\x\"", "\"\u{01}\"", "1e", "{\"a\":1,}", "NaN", "1e999",
    ])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    /// A syntax error names the offset of the byte at fault (the end for an unterminated string).
    @Test(arguments: [("\"ab\u{01}c\"", 3), ("\"abc", 4), ("[\"a\",\"b\\\n\"]", 8), ("{\"k\":\"v\"}  x", 11)])
    func syntaxErrorsGiveTheirOffset(_ text: String, _ offset: Int) {
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(text.utf8)) }
        do {
            _ = try JSONParser.parse(Array(text.utf8))
        } catch {
            #expect(error.offset == offset)
        }
    }

    @Test func rejectsHostileNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(Array(deep.utf8)) }
    }

    @Test func reportsDuplicateKeysWithTheirPath() throws {
        let text = #"{"a":1,"spec":{"containers":[{"name":"x","name":"y"}]},"a":2}"#
        let (value, duplicates) = try JSONParser.parseReportingDuplicates(Array(text.utf8))
        #expect(value["a"] == .int(2))
        #expect(duplicates.map(\.fieldPath) == ["spec.containers[0].name", "a"])
    }

    @Test(arguments: [
        #"{"a":[1,2.5,"x\n\"y"],"b":null,"c":{"d":true}}"#,
        #"{"z":1,"a":{"y":[],"b":{}}}"#,
    ])
    func serializesBackToTheSameValue(_ text: String) throws {
        let value = try JSONParser.parse(Array(text.utf8))
        let again = try JSONParser.parse(value.serialized())
        #expect(again == value)
        #expect(try JSONDecoder().decode(JSONValue.self, from: value.jsonData()) == value)
    }

    /// Exact text: quotes, backslashes and control characters escaped (`\n`, `\t`, `\r`, else
    /// `\u00XX`), everything else copied as it is, around and between the escapes.
    @Test(arguments: [
        (JSONValue.int(0), "0"), (.int(9), "9"), (.int(10), "10"), (.int(-1), "-1"),
        (.int(1_234_567_890_123), "1234567890123"),
        (.int(Int64.max), "9223372036854775807"), (.int(Int64.min), "-9223372036854775808"),
        (.string(""), #""""#), (.string("plain text"), #""plain text""#),
        (.string("a\"b\\c"), #""a\"b\\c""#), (.string("\"lead"), #""\"lead""#), (.string("trail\n"), #""trail\n""#),
        (.string("tab\tcr\r\u{1f}"), #""tab\tcr\r\u001f""#), (.string("é <&> ✓"), #""é <&> ✓""#),
        (.array([.int(1), .null, .bool(false), .object([:])]), "[1,null,false,{}]"),
    ] as [(JSONValue, String)])
    func serializesExactText(_ value: JSONValue, _ text: String) {
        #expect(String(decoding: value.serialized(sortedKeys: true), as: UTF8.self) == text)
        #expect(String(decoding: value.serialized(sortedKeys: false), as: UTF8.self) == text)
    }

    @Test func serializesWithSortedKeys() {
        let value = JSONValue.object(["b": .int(1), "a": .double(2), "c": .string("\u{1}")])
        #expect(String(decoding: value.serialized(), as: UTF8.self) == #"{"a":2,"b":1,"c":"\u0001"}"#)
    }
}
