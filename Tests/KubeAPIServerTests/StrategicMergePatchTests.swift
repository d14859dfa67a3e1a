import Foundation
import KubeModel
import Testing
@testable import KubeAPIServer

/// Strategic merge patch application. The table's facts come from upstream's
/// `strategicpatch/patch_test.go` (its `mergeItem` test type, rebuilt as an OpenAPI schema
/// below): the two-way patches applied to `original` and the three-way patches applied to
/// `current`, with upstream's expected results — order included.
struct StrategicMergePatchTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let original: String
        let patch: String
        /// The expected object, or nil when `error` is expected.
        let result: String?
        /// A fragment of the expected error message.
        let error: String?
        var testDescription: String { name }

        init(_ name: String, _ original: String, _ patch: String, _ result: String) {
            self.name = name; self.original = original; self.patch = patch; self.result = result; error = nil
        }

        init(_ name: String, _ original: String, _ patch: String, error: String) {
            self.name = name; self.original = original; self.patch = patch; result = nil; self.error = error
        }
    }

    /// Upstream's `MergeItem` / `RetainKeysMergeItem` test types as OpenAPI definitions.
    static let schema: APISchema = {
        let list = ##""type":"array","items":{"$ref":"#/definitions/mergeItem"}"##
        let merge = ##""x-kubernetes-patch-strategy":"merge","x-kubernetes-patch-merge-key":"name""##
        let ints = ##""type":"array","items":{"type":"integer"}"##
        let common = ##""name":{"type":"string"},"value":{"type":"string"},"other":{"type":"string"},"##
            + ##""simpleMap":{"type":"object","additionalProperties":{"type":"string"}},"##
            + ##""mergingList":{\##(list),\##(merge)},"nonMergingList":{\##(list)},"##
            + ##""mergingIntList":{\##(ints),"x-kubernetes-patch-strategy":"merge"}"##
        let document = ##"{"definitions":{"mergeItem":{"type":"object","properties":{\##(common),"##
            + ##""nonMergingIntList":{\##(ints)},"mergeItemPtr":{\##(list),\##(merge)},"##
            + ##""replacingItem":{"type":"object","x-kubernetes-patch-strategy":"replace"},"##
            + ##""retainKeysMap":{"$ref":"#/definitions/retainKeysMergeItem","x-kubernetes-patch-strategy":"retainKeys"},"##
            + ##""retainKeysMergingList":{\##(list),"x-kubernetes-patch-strategy":"merge,retainKeys","x-kubernetes-patch-merge-key":"name"}}},"##
            + ##""retainKeysMergeItem":{"type":"object","properties":{\##(common)}}}}"##
        return try! APISchema(json: Array(document.utf8))
    }()

    static func json(_ text: String) throws -> JSONValue { try JSONParser.parse(Array(text.utf8)) }

    static func apply(_ patch: String, to original: String) throws -> JSONValue {
        let node = try #require(schema.definitions["mergeItem"])
        return try StrategicMergePatch(schema: schema).apply(json(patch), to: json(original), node: node)
    }

    static let cases: [Case] = [
        // Two-way patches that CreateTwoWayMergePatch does not generate.
        Case("unique scalars when merging lists", #"{"mergingIntList":[1,2]}"#, #"{"mergingIntList":[2,3]}"#,
             #"{"mergingIntList":[1,2,3]}"#),
        Case("delete map from nested map", #"{"simpleMap":{"key1":1,"key2":1}}"#, #"{"simpleMap":{"$patch":"delete"}}"#,
             #"{"simpleMap":{}}"#),
        Case("delete all items from merging list", #"{"mergingList":[{"name":1},{"name":2}]}"#,
             #"{"mergingList":[{"$patch":"replace"}]}"#, #"{"mergingList":[]}"#),
        Case("merge empty merging lists", #"{"mergingList":[]}"#, #"{"mergingList":[]}"#, #"{"mergingList":[]}"#),
        Case("delete all keys from map", #"{"name":1,"value":1}"#, #"{"$patch":"replace"}"#, "{}"),
        Case("add key and delete all keys from map", #"{"name":1,"value":1}"#, #"{"other":"a","$patch":"replace"}"#,
             #"{"other":"a"}"#),
        Case("delete all duplicate entries in a merging list",
             #"{"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]}"#,
             #"{"mergingList":[{"name":1,"$patch":"delete"},{"name":3,"$patch":"delete"}]}"#,
             #"{"mergingList":[{"name":2,"value":"a"}]}"#),
        Case("retainKeys map can add a field when no retainKeys directive present", #"{"retainKeysMap":{"name":"foo"}}"#,
             #"{"retainKeysMap":{"value":"bar"}}"#, #"{"retainKeysMap":{"name":"foo","value":"bar"}}"#),
        Case("retainKeys map can delete a field when no retainKeys directive present",
             #"{"retainKeysMap":{"name":"foo","value":"a"}}"#, #"{"retainKeysMap":{"value":null}}"#,
             #"{"retainKeysMap":{"name":"foo"}}"#),
        Case("retainKeys map merge an empty map", #"{"retainKeysMap":{"name":"foo","value":"a"}}"#,
             #"{"retainKeysMap":{}}"#, #"{"retainKeysMap":{"name":"foo","value":"a"}}"#),
        Case("retainKeys list can change a field when no retainKeys directive present",
             #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#,
             #"{"retainKeysMergingList":[{"name":"foo","value":"b"}]}"#,
             #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"b"}]}"#),
        Case("preserve the order from the patch in a merging list",
             #"{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}"#,
             #"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"other":"x"}]}"#,
             #"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"value":"b","other":"x"}]}"#),
        Case("preserve the order from the patch in a merging list 2",
             #"{"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]}"#,
             #"{"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"}]}"#,
             #"{"mergingList":[{"name":2,"value":"b"},{"name":3,"value":"c"},{"name":1,"value":"a"}]}"#),
        Case("preserve the order from the patch in a merging int list", #"{"mergingIntList":[1,2,3]}"#,
             #"{"mergingIntList":[3,1,2]}"#, #"{"mergingIntList":[3,1,2]}"#),
        Case("preserve the order from the patch in a merging int list 2", #"{"mergingIntList":[1,2,3]}"#,
             #"{"mergingIntList":[3,1]}"#, #"{"mergingIntList":[2,3,1]}"#),
        Case("$setElementOrder contains item that is not present in the list to be merged",
             #"{"mergingList":[{"name":1},{"name":3}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
             #"{"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#),
        Case("$setElementOrder contains item that is not present in the int list to be merged",
             #"{"mergingIntList":[1,3]}"#, #"{"$setElementOrder/mergingIntList":[3,2,1]}"#, #"{"mergingIntList":[3,1]}"#),
        Case("should check if order in $setElementOrder and patch list match",
             #"{"mergingList":[{"name":1},{"name":3},{"name":2}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]}"#,
             error: "doesn't match"),
        Case("should check if order in $setElementOrder and patch int list match", #"{"mergingIntList":[1,3,2]}"#,
             #"{"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]}"#, error: "doesn't match"),
        Case("missing merge key should error out", #"{"mergingList":[{"name":1,"value":"a"}]}"#,
             #"{"mergingList":[{"value":"b"}]}"#, error: "map: map[value:b] does not contain declared merge key: name"),

        // Three-way patches applied to the live object.
        Case("add field to map", #"{"name":1,"other":"a"}"#, #"{"value":1}"#, #"{"name":1,"value":1,"other":"a"}"#),
        Case("add field and delete field from map", #"{"name":1,"other":"a"}"#, #"{"name":null,"value":1}"#,
             #"{"value":1,"other":"a"}"#),
        Case("delete field from nested map", #"{"simpleMap":{"key1":1,"key2":1,"other":"a"}}"#,
             #"{"simpleMap":{"key2":null}}"#, #"{"simpleMap":{"key1":1,"other":"a"}}"#),
        Case("delete all fields from map with conflict", #"{"name":1,"value":"a","other":"a"}"#,
             #"{"name":null,"value":null}"#, #"{"other":"a"}"#),
        Case("replace list of scalars with conflict", #"{"nonMergingIntList":[1,4]}"#, #"{"nonMergingIntList":[2,3]}"#,
             #"{"nonMergingIntList":[2,3]}"#),
        Case("delete all maps from merging list with conflict",
             #"{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b"}]}"#,
             #"{"mergingList":[{"name":1,"$patch":"delete"},{"name":2,"$patch":"delete"}]}"#, #"{"mergingList":[]}"#),
        Case("delete all maps from empty merging list", #"{"mergingList":[]}"#,
             #"{"mergingList":[{"name":1,"$patch":"delete"},{"name":2,"$patch":"delete"}]}"#, #"{"mergingList":[]}"#),
        Case("defined null values should propagate overwrite current fields", #"{"name":"a","other":"a"}"#,
             #"{"name":1,"value":1,"other":null}"#, #"{"name":1,"value":1}"#),
        Case("nil patch with retainKeys map", #"{"name":"a","value":"b","retainKeysMap":{"name":"foo"}}"#, "{}",
             #"{"name":"a","value":"b","retainKeysMap":{"name":"foo"}}"#),
        Case("delete items in lists of scalars", #"{"mergingIntList":[1,2,3,4]}"#,
             #"{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
             #"{"mergingIntList":[1,2,4]}"#),
        Case("delete all duplicate items in lists of scalars", #"{"mergingIntList":[1,2,3,3,4]}"#,
             #"{"$setElementOrder/mergingIntList":[1,2],"$deleteFromPrimitiveList/mergingIntList":[3]}"#,
             #"{"mergingIntList":[1,2,4]}"#),
        Case("add and delete items in lists of scalars", #"{"mergingIntList":[1,2,3]}"#,
             #"{"$setElementOrder/mergingIntList":[1,2,4],"$deleteFromPrimitiveList/mergingIntList":[3],"mergingIntList":[4]}"#,
             #"{"mergingIntList":[1,2,4]}"#),
        Case("merge lists of maps", #"{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":4},{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":4,"value":4},{"name":3,"value":3}]}"#,
             #"{"mergingList":[{"name":4,"value":4},{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"},{"name":3,"value":3}]}"#),
        Case("merge lists of maps with conflict", #"{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":3,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],"mergingList":[{"name":2,"value":2},{"name":3,"value":3}]}"#,
             #"{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2,"other":"b"},{"name":3,"value":3}]}"#),
        Case("add field to map in merging list with conflict",
             #"{"mergingList":[{"name":1,"other":"a"},{"name":3,"value":2,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}"#,
             #"{"mergingList":[{"name":1,"value":1,"other":"a"},{"name":2,"value":2},{"name":3,"value":2,"other":"b"}]}"#),
        Case("replace map field value in merging list with conflict",
             #"{"mergingList":[{"name":1,"value":3,"other":"a"},{"name":2,"value":2,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":"a"}]}"#,
             #"{"mergingList":[{"name":1,"value":"a","other":"a"},{"name":2,"value":2,"other":"b"}]}"#),
        Case("delete map from merging list with conflict",
             #"{"mergingList":[{"name":1,"other":"a"},{"name":2,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"name":1,"$patch":"delete"}]}"#,
             #"{"mergingList":[{"name":2,"other":"b"}]}"#),
        Case("delete missing map from merging list with conflict", #"{"mergingList":[{"name":3,"other":"a"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":2}],"mergingList":[{"name":2},{"name":1,"$patch":"delete"}]}"#,
             #"{"mergingList":[{"name":2},{"name":3,"other":"a"}]}"#),
        Case("add map and delete map from merging list",
             #"{"mergingList":[{"name":1},{"name":2,"other":"b"},{"name":4,"other":"c"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":3},{"name":1,"$patch":"delete"}]}"#,
             #"{"mergingList":[{"name":2,"other":"b"},{"name":4,"other":"c"},{"name":3}]}"#),
        Case("add map and delete map from merging list with conflict",
             #"{"mergingList":[{"name":1,"other":"a"},{"name":4,"other":"c"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":2},{"name":3}],"mergingList":[{"name":2},{"name":3},{"name":1,"$patch":"delete"}]}"#,
             #"{"mergingList":[{"name":4,"other":"c"},{"name":2},{"name":3}]}"#),
        Case("delete field from map in merging list with conflict",
             #"{"mergingList":[{"name":1,"value":"a","other":"a"},{"name":2,"value":2}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"value":null}]}"#,
             #"{"mergingList":[{"name":1,"other":"a"},{"name":2,"value":2}]}"#),
        Case("replace non merging list nested in merging list with deletion conflict",
             #"{"mergingList":[{"name":1,"other":"a","nonMergingList":[{"name":2,"value":2}]},{"name":2,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"name":1,"nonMergingList":[{"name":1,"value":1}]}]}"#,
             #"{"mergingList":[{"name":1,"other":"a","nonMergingList":[{"name":1,"value":1}]},{"name":2,"other":"b"}]}"#),
        Case("add field to map in merging list nested in merging list with value conflict",
             #"{"mergingList":[{"name":1,"other":"a","mergingList":[{"name":1,"value":"a","other":"c"},{"name":2,"value":"b","other":"d"}]},{"name":2,"other":"b"}]}"#,
             #"{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"mergingList":[{"$setElementOrder/mergingList":[{"name":1},{"name":2}],"name":1,"mergingList":[{"name":1,"value":1},{"name":2,"value":2}]}]}"#,
             #"{"mergingList":[{"name":1,"other":"a","mergingList":[{"name":1,"value":1,"other":"c"},{"name":2,"value":2,"other":"d"}]},{"name":2,"other":"b"}]}"#),
        Case("retainKeys map deletes nested non-merging list",
             #"{"retainKeysMap":{"name":"foo","nonMergingList":[{"name":"a"},{"name":"b"}]}}"#,
             #"{"retainKeysMap":{"$retainKeys":["name","value"],"value":"bar","nonMergingList":null}}"#,
             #"{"retainKeysMap":{"name":"foo","value":"bar"}}"#),
        Case("retainKeys map adds an item in nested merging int list",
             #"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,3]}}"#,
             #"{"retainKeysMap":{"$setElementOrder/mergingIntList":[1,2,4],"$retainKeys":["mergingIntList","name"],"mergingIntList":[4]}}"#,
             #"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,4,3]}}"#),
        Case("retainKeys map adds an item and deletes an item in nested merging int list",
             #"{"retainKeysMap":{"name":"foo","mergingIntList":[1,2,3,4]}}"#,
             #"{"retainKeysMap":{"$retainKeys":["mergingIntList","name"],"mergingIntList":[5],"$deleteFromPrimitiveList/mergingIntList":[2],"$setElementOrder/mergingIntList":[1,3,5]}}"#,
             #"{"retainKeysMap":{"name":"foo","mergingIntList":[1,3,5,4]}}"#),
        Case("retainKeys map deletes an item in nested merging list",
             #"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"},{"name":"x"}]}}"#,
             #"{"retainKeysMap":{"$retainKeys":["mergingList","name"],"$setElementOrder/mergingList":[{"name":"a"}],"mergingList":[{"name":"b","$patch":"delete"}]}}"#,
             #"{"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"x"}]}}"#),
        Case("retainKeys list of maps clears a field",
             #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a","other":"x"}]}"#,
             #"{"$setElementOrder/retainKeysMergingList":[{"name":"bar"},{"name":"foo"}],"retainKeysMergingList":[{"$retainKeys":["name","value"],"name":"foo"}]}"#,
             #"{"retainKeysMergingList":[{"name":"bar"},{"name":"foo","value":"a"}]}"#),

        // Directives, new values, untyped fields.
        Case("a null patch changes nothing", #"{"name":"a"}"#, "null", #"{"name":"a"}"#),
        Case("a new field keeps neither nulls nor directives", "{}",
             #"{"mergingList":[{"name":1,"value":null},{"name":2,"$patch":"delete"}],"simpleMap":{"$patch":"replace","a":"b"}}"#,
             #"{"mergingList":[{"name":1}]}"#),
        Case("a replace strategy replaces the map", #"{"replacingItem":{"a":1,"b":2}}"#, #"{"replacingItem":{"c":3}}"#,
             #"{"replacingItem":{"c":3}}"#),
        Case("fields without schema merge like a JSON merge patch", #"{"unknown":{"a":1,"list":[1,2]}}"#,
             #"{"unknown":{"b":2,"list":[3],"a":null}}"#, #"{"unknown":{"b":2,"list":[3]}}"#),
        Case("a non-merging list is replaced", #"{"nonMergingList":[{"name":1},{"name":2}]}"#,
             #"{"nonMergingList":[{"name":3}]}"#, #"{"nonMergingList":[{"name":3}]}"#),
        Case("$patch merge on a map is refused", #"{"simpleMap":{"a":"1"}}"#, #"{"simpleMap":{"$patch":"merge"}}"#,
             error: "unknown patch type: merge in map: map[$patch:merge]"),
        Case("an unknown $patch in a list is refused", #"{"mergingList":[{"name":1}]}"#,
             #"{"mergingList":[{"name":1,"$patch":"foo"}]}"#, error: "unknown patch type: foo in map: map[$patch:foo name:1]"),
        Case("$patch merge in a list is refused", #"{"mergingList":[{"name":1}]}"#, #"{"mergingList":[{"$patch":"merge"}]}"#,
             error: "merging lists cannot yet be specified in the patch"),
        Case("a delete directive needs the merge key", #"{"mergingList":[{"name":1}]}"#,
             #"{"mergingList":[{"$patch":"delete"}]}"#, error: "map: map[$patch:delete] does not contain declared merge key: name"),
        Case("$retainKeys must be a list", #"{"retainKeysMap":{"name":"a"}}"#,
             #"{"retainKeysMap":{"$retainKeys":"name"}}"#, error: "invalid patch format of retainKeys"),
        Case("patched fields must be in $retainKeys", #"{"retainKeysMap":{"name":"a"}}"#,
             #"{"retainKeysMap":{"$retainKeys":["name"],"value":"x"}}"#, error: "invalid patch format of retainKeys"),
        Case("$deleteFromPrimitiveList needs a field", #"{"mergingIntList":[1]}"#, #"{"$deleteFromPrimitiveList":[1]}"#,
             error: "invalid patch format of primitive list"),
        Case("$setElementOrder needs a field", #"{"mergingIntList":[1]}"#, #"{"$setElementOrder":[1]}"#,
             error: "invalid patch format of setElementOrder list"),
        Case("lists of lists are refused", #"{"mergingIntList":[[1]]}"#, #"{"mergingIntList":[[2]]}"#,
             error: "lists of lists are not supported"),
        Case("list elements must share a type", #"{"mergingList":[{"name":1}]}"#, #"{"mergingList":["a"]}"#,
             error: "list element types are not identical: [[map[name:1]] [a]]"),
        Case("the patch must be an object", "{}", "[]",
             error: "json: cannot unmarshal array into Go value of type map[string]interface {}"),
    ]

    @Test(arguments: cases)
    func applies(_ c: Case) throws {
        if let expected = c.result {
            #expect(try Self.apply(c.patch, to: c.original) == Self.json(expected))
        } else {
            #expect {
                _ = try Self.apply(c.patch, to: c.original)
            } throws: { error in
                String(describing: error).contains(c.error ?? "")
            }
        }
    }

    @Test func errorsMapToUpstreamStatuses() {
        #expect(StrategicMergePatchError.badRetainKeysFormat.apiError.code == 400)
        #expect(StrategicMergePatchError.badPrimitiveListFormat.apiError.code == 400)
        #expect(StrategicMergePatchError.listOfLists.apiError.code == 422)
        #expect(StrategicMergePatchError.other("x").apiError.code == 400)
    }
}
