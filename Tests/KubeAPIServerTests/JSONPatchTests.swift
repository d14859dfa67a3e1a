import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// JSON patch: RFC 6902 appendix A, then the behaviour of the library upstream uses
/// (evanphx/json-patch v4) where it goes beyond or against the RFC, and its error wording.
struct JSONPatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let document: String
        let patch: String
        let result: String?
        let error: String?
        var testDescription: String { name }

        init(_ name: String, _ document: String, _ patch: String, _ result: String) {
            self.name = name; self.document = document; self.patch = patch; self.result = result; error = nil
        }

        init(_ name: String, _ document: String, _ patch: String, error: String) {
            self.name = name; self.document = document; self.patch = patch; result = nil; self.error = error
        }
    }

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    static let cases: [Case] = [
        // RFC 6902 appendix A.
        Case("A.1 adding an object member", #"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz","value":"qux"}]"#,
             #"{"baz":"qux","foo":"bar"}"#),
        Case("A.2 adding an array element", #"{"foo":["bar","baz"]}"#, #"[{"op":"add","path":"/foo/1","value":"qux"}]"#,
             #"{"foo":["bar","qux","baz"]}"#),
        Case("A.3 removing an object member", #"{"baz":"qux","foo":"bar"}"#, #"[{"op":"remove","path":"/baz"}]"#,
             #"{"foo":"bar"}"#),
        Case("A.4 removing an array element", #"{"foo":["bar","qux","baz"]}"#, #"[{"op":"remove","path":"/foo/1"}]"#,
             #"{"foo":["bar","baz"]}"#),
        Case("A.5 replacing a value", #"{"baz":"qux","foo":"bar"}"#, #"[{"op":"replace","path":"/baz","value":"boo"}]"#,
             #"{"baz":"boo","foo":"bar"}"#),
        Case("A.6 moving a value", #"{"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}}"#,
             #"[{"op":"move","from":"/foo/waldo","path":"/qux/thud"}]"#,
             #"{"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}}"#),
        Case("A.7 moving an array element", #"{"foo":["all","grass","cows","eat"]}"#,
             #"[{"op":"move","from":"/foo/1","path":"/foo/3"}]"#, #"{"foo":["all","cows","eat","grass"]}"#),
        Case("A.8 testing a value: success", #"{"baz":"qux","foo":["a",2,"c"]}"#,
             #"[{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}]"#,
             #"{"baz":"qux","foo":["a",2,"c"]}"#),
        Case("A.9 testing a value: error", #"{"baz":"qux"}"#, #"[{"op":"test","path":"/baz","value":"bar"}]"#,
             error: "testing value /baz failed: test failed"),
        Case("A.10 adding a nested member object", #"{"foo":"bar"}"#,
             #"[{"op":"add","path":"/child","value":{"grandchild":{}}}]"#, #"{"foo":"bar","child":{"grandchild":{}}}"#),
        Case("A.11 ignoring unrecognized elements", #"{"foo":"bar"}"#,
             #"[{"op":"add","path":"/baz","value":"qux","xyz":123}]"#, #"{"foo":"bar","baz":"qux"}"#),
        Case("A.12 adding to a nonexistent target", #"{"foo":"bar"}"#, #"[{"op":"add","path":"/baz/bat","value":"qux"}]"#,
             error: #"add operation does not apply: doc is missing path: "/baz/bat": missing value"#),
        Case("A.14 ~ escape ordering", #"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":10}]"#,
             #"{"/":9,"~1":10}"#),
        Case("A.15 comparing strings and numbers", #"{"/":9,"~1":10}"#, #"[{"op":"test","path":"/~01","value":"10"}]"#,
             error: "testing value /~01 failed: test failed"),
        Case("A.16 adding an array value", #"{"foo":["bar"]}"#, #"[{"op":"add","path":"/foo/-","value":["abc","def"]}]"#,
             #"{"foo":["bar",["abc","def"]]}"#),

        // Upstream's library.
        Case("~1 addresses a slash in a key", #"{"a/b":1}"#, #"[{"op":"replace","path":"/a~1b","value":2}]"#, #"{"a/b":2}"#),
        Case("operations apply in order", #"{"a":1}"#,
             #"[{"op":"add","path":"/b","value":2},{"op":"copy","from":"/b","path":"/c"},{"op":"remove","path":"/a"}]"#,
             #"{"b":2,"c":2}"#),
        Case("replace of a missing member adds it", #"{"a":1}"#, #"[{"op":"replace","path":"/b","value":2}]"#,
             #"{"a":1,"b":2}"#),
        Case("replace of the whole document", #"{"a":1}"#, #"[{"op":"replace","path":"","value":{"b":2}}]"#, #"{"b":2}"#),
        Case("negative indices count from the end", #"{"a":[1,2,3]}"#,
             #"[{"op":"remove","path":"/a/-1"},{"op":"add","path":"/a/-1","value":9}]"#, #"{"a":[1,2,9]}"#),
        Case("add at the end index appends", #"{"a":[1]}"#, #"[{"op":"add","path":"/a/1","value":2}]"#, #"{"a":[1,2]}"#),
        Case("copy of a missing member copies null", #"{"a":1}"#, #"[{"op":"copy","from":"/x","path":"/y"}]"#,
             #"{"a":1,"y":null}"#),
        Case("test of a missing member against null passes", #"{"a":1}"#, #"[{"op":"test","path":"/b","value":null}]"#,
             #"{"a":1}"#),
        Case("test compares the document's members only", #"{"a":{"x":1}}"#,
             #"[{"op":"test","path":"/a","value":{"x":1,"y":2}}]"#, #"{"a":{"x":1}}"#),
        Case("test of an array element", #"{"a":[{"b":1}]}"#, #"[{"op":"test","path":"/a/0/b","value":1}]"#,
             #"{"a":[{"b":1}]}"#),
        Case("test of a present member against null fails", #"{"a":1}"#, #"[{"op":"test","path":"/a","value":null}]"#,
             error: "testing value /a failed: test failed"),
        Case("remove of a missing member", #"{"a":1}"#, #"[{"op":"remove","path":"/b"}]"#,
             error: "error in remove for path: '/b': Unable to remove nonexistent key: b: missing value"),
        Case("add beyond the end", #"{"a":[1]}"#, #"[{"op":"add","path":"/a/5","value":2}]"#,
             error: "error in add for path: '/a/5': Unable to access invalid index: 5: invalid index referenced"),
        Case("add with a non-numeric index", #"{"a":[1]}"#, #"[{"op":"add","path":"/a/x","value":2}]"#,
             error: #"error in add for path: '/a/x': value was not a proper array index: 'x': strconv.Atoi: parsing "x": invalid syntax"#),
        Case("remove beyond the end", #"{"a":[1]}"#, #"[{"op":"remove","path":"/a/1"}]"#,
             error: "error in remove for path: '/a/1': Unable to access invalid index: 1: invalid index referenced"),
        Case("replace beyond the end", #"{"a":[1]}"#, #"[{"op":"replace","path":"/a/3","value":2}]"#,
             error: "replace operation does not apply: doc is missing key: /a/3: missing value"),
        Case("replace under a missing parent", #"{"a":1}"#, #"[{"op":"replace","path":"/x/y","value":2}]"#,
             error: "replace operation does not apply: doc is missing path: /x/y: missing value"),
        Case("move from a missing member", #"{"a":1}"#, #"[{"op":"move","from":"/b","path":"/c"}]"#,
             error: "error in move for path: 'b': Unable to remove nonexistent key: b: missing value"),
        Case("move needs from", #"{"a":1}"#, #"[{"op":"move","path":"/c"}]"#,
             error: "move operation failed to decode from: operation, missing from field: missing value"),
        Case("add needs a path", #"{"a":1}"#, #"[{"op":"add","value":1}]"#,
             error: "add operation failed to decode path: missing value"),
        Case("test under a missing parent", #"{"a":1}"#, #"[{"op":"test","path":"/x/y","value":1}]"#,
             error: "test operation does not apply: is missing path: /x/y: missing value"),
        Case("an unknown operation", #"{"a":1}"#, #"[{"op":"frob","path":"/a"}]"#, error: "Unexpected kind: frob"),
        Case("a missing operation", #"{"a":1}"#, #"[{"path":"/a"}]"#, error: "Unexpected kind: unknown"),
        Case("a scalar is no container", #"{"a":1}"#, #"[{"op":"add","path":"/a/b","value":2}]"#,
             error: #"add operation does not apply: doc is missing path: "/a/b": missing value"#),
        Case("the patch must be an array", #"{"a":1}"#, #"{"op":"add"}"#,
             error: "json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp"),
        Case("fields must be strings", #"{"a":1}"#, #"[{"op":1}]"#,
             error: "json: cannot unmarshal number into Go struct field jsonPatchOp.op of type string"),
    ]

    @Test(arguments: cases)
    func applies(_ c: Case) throws {
        let outcome = Result { () throws -> JSONValue in
            try JSONPatch(Self.json(c.patch)).apply(to: Self.json(c.document))
        }
        switch (outcome, c.result, c.error) {
        case (.success(let value), let expected?, _):
            #expect(value == (try Self.json(expected)))
        case (.failure(let error), _, let expected?):
            #expect(String(describing: error) == expected)
        default:
            Issue.record("unexpected outcome \(outcome) for \(c.name)")
        }
    }

    @Test func tokensUnescapeLeftToRight() {
        #expect(JSONPointerContainer.unescape("~01") == "~1")
        #expect(JSONPointerContainer.unescape("~10") == "/0")
        #expect(JSONPointerContainer.unescape("a~1b~0c") == "a/b~c")
    }

    @Test func resourcePatchMapsFailuresToStatuses() throws {
        func error(_ type: String, _ body: String, schema: SchemaNode? = nil,
                   applyTo document: String = "{}") -> APIError? {
            do {
                let patch = try ResourcePatch(contentType: type, body: Data(body.utf8), strategicSchema: schema)
                _ = try patch.apply(to: Self.json(document), schema: schema)
                return nil
            } catch let error as APIError {
                return error
            } catch {
                return .internalError("\(error)")
            }
        }
        #expect(error(ResourcePatch.jsonPatch, "[")?.code == 400)
        #expect(error(ResourcePatch.jsonPatch, #"{"op":"add"}"#)?.code == 400)
        let failedTest = error(ResourcePatch.jsonPatch, #"[{"op":"test","path":"/a","value":1}]"#, applyTo: #"{"a":2}"#)
        #expect(failedTest?.code == 422)
        #expect(failedTest?.reason == "Invalid")
        #expect(failedTest?.message.contains("testing value /a failed: test failed") == true)
        let tooMany = "[" + Array(repeating: #"{"op":"test","path":"/a","value":1}"#, count: 10_001).joined(separator: ",") + "]"
        #expect(error(ResourcePatch.jsonPatch, tooMany)?.code == 413)
        #expect(error(ResourcePatch.mergePatch, "{")?.code == 400)
        #expect(error(ResourcePatch.mergePatch, "3")?.message == "Invalid JSON Patch")
        #expect(error(ResourcePatch.strategicMergePatch, "{}")?.code == 415)
        #expect(error(ResourcePatch.applyPatchYAML, "{}")?.code == 415)
        #expect(error("text/plain", "{}")?.code == 415)
    }

    @Test func mergePatchFollowsRFC7386() throws {
        // RFC 7386 appendix A, a selection.
        let cases: [(String, String, String)] = [
            (#"{"a":"b"}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"b"}"#, #"{"b":"c"}"#, #"{"a":"b","b":"c"}"#),
            (#"{"a":"b"}"#, #"{"a":null}"#, "{}"),
            (#"{"a":["b"]}"#, #"{"a":"c"}"#, #"{"a":"c"}"#),
            (#"{"a":"c"}"#, #"{"a":["b"]}"#, #"{"a":["b"]}"#),
            (#"{"a":{"b":"c"}}"#, #"{"a":{"b":"d","c":null}}"#, #"{"a":{"b":"d"}}"#),
            (#"{"a":[{"b":"c"}]}"#, #"{"a":[1]}"#, #"{"a":[1]}"#),
            (#"{"e":null}"#, #"{"a":1}"#, #"{"e":null,"a":1}"#),
            ("{}", #"{"a":{"bb":{"ccc":null}}}"#, #"{"a":{"bb":{}}}"#),
        ]
        for (target, patch, expected) in cases {
            #expect(JSONMergePatch.apply(try Self.json(patch), to: try Self.json(target)) == (try Self.json(expected)))
        }
    }
}
