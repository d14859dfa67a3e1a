import Foundation
import Testing
@testable import KubeModel

private let labelValueRegexMessage =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
private let labelKeyNameMessage =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"

// Parse → canonical string, from upstream selector_test.go TestSetSelectorParser / TestSelectorParse.
@Suite struct LabelSelectorTests {
    @Test(arguments: [
        ("", ""), ("\rx", "x"), ("this-is-a-dns.domain.com/key-with-dash", "this-is-a-dns.domain.com/key-with-dash"),
        ("this-is-another-dns.domain.com/key-with-dash in (so,what)", "this-is-another-dns.domain.com/key-with-dash in (so,what)"),
        ("0.1.2.domain/99 notin (10.10.100.1, tick.tack.clock)", "0.1.2.domain/99 notin (10.10.100.1,tick.tack.clock)"),
        ("foo  in\t (abc)", "foo in (abc)"), ("x notin\n (abc)", "x notin (abc)"),
        ("x  notin\t\t(abc,def)", "x notin (abc,def)"), ("x in (abc,def)", "x in (abc,def)"),
        ("x in (def,abc,abc)", "x in (abc,def)"), ("x in (abc,)", "x in (,abc)"), ("x in ()", "x in ()"),
        ("x notin (abc,,def),bar,z in (),w", "bar,w,x notin (,abc,def),z in ()"), ("x,y in (a)", "x,y in (a)"),
        ("x=a", "x=a"), ("x==a", "x==a"), ("x>1", "x>1"), ("x<7", "x<7"), ("x=a,y!=b", "x=a,y!=b"),
        ("x=a,y!=b,z in (h,i,j)", "x=a,y!=b,z in (h,i,j)"), ("x notin ( )", "x notin ()"),
        ("x notin (, a)", "x notin (,a)"), ("a ", "a"), ("a in (x,y,notin, z,in)", "a in (in,notin,x,y,z)"),
        ("x=a,y=b,z=c", "x=a,y=b,z=c"), ("z=c,y=b,x=a", "x=a,y=b,z=c"), ("x!=y", "x!=y"), ("x=", "x="),
        ("x= ", "x="), ("x=,z= ", "x=,z="), ("x= ,z= ", "x=,z="), ("!x", "!x"), ("x>1,z<5", "x>1,z<5"),
        ("notin=in", "notin=in"), ("x in (in)", "x in (in)"), ("example.com/a!=b", "example.com/a!=b"),
    ])
    func parsesToCanonical(_ input: String, _ expect: String) throws {
        let selector = try Labels.Selector(parsing: input)
        #expect(selector.description == expect)
        // The canonical form is stable.
        #expect(try Labels.Selector(parsing: expect).description == expect)
    }

    @Test(arguments: [
        "x=a||y=b", "x,,y", ",x,y", "x nott in (y)", "a in (xyz),", "a in (xyz)b notin ()", "a in (xyz abc)",
        "a notin(", "a (", "(", "x==a==b", "!x=a", "x<a", "x>1.1", "x>0x1", "x>1,z<5a", "app: nginx", "x in (a", "=",
        "x=a,", "a/b/c=d", "-x", String(repeating: "k", count: 64), "x=" + String(repeating: "v", count: 64),
    ])
    func rejects(_ input: String) {
        #expect(throws: Labels.SelectorError.self) { try Labels.Selector(parsing: input) }
    }

    @Test(arguments: [
        ("app: nginx", "unable to parse requirement: <nil>: Invalid value: \"app:\": " + labelKeyNameMessage),
        ("x=a||y=b", "unable to parse requirement: values[0][x]: Invalid value: \"a||y\": " + labelValueRegexMessage),
        ("x,,y", "found ',', expected: identifier after ','"),
        (",x", "found ',', expected: !, identifier, or 'end of string'"),
        ("(", "found '(', expected: !, identifier, or 'end of string'"),
        ("x nott in (y)", "unable to parse requirement: found 'nott', expected: in, notin, =, ==, !=, gt, lt"),
        ("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer"),
        ("a in (xyz abc)", "unable to parse requirement: found 'abc', expected: ',' or ')'"),
        ("a (", "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"),
        ("!x=a", "found '=', expected: ',' or 'end of string'"),
        ("a in (xyz)b notin ()", "found 'b', expected: ',' or 'end of string'"),
        ("x in a", "unable to parse requirement: found 'a' expected: '('"),
        ("x==a==b", "found '==', expected: ',' or 'end of string'"),
    ])
    func errorMessages(_ input: String, _ message: String) {
        #expect(throws: Labels.SelectorError(message)) { try Labels.Selector(parsing: input) }
    }

    // Upstream TestSelectorMatches.
    @Test(arguments: [
        ("", ["x": "y"], true), ("x=y", ["x": "y"], true), ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true), ("notin=in", ["notin": "in"], true), ("x", ["x": "z"], true),
        ("!x", ["y": "z"], true), ("x>1", ["x": "2"], true), ("x<1", ["x": "0"], true),
        ("x=z", [:], false), ("x=y", ["x": "z"], false), ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false), ("x", ["y": "z"], false), ("!x", ["x": "z"], false),
        ("x>1", ["x": "0"], false), ("x<1", ["x": "2"], false), ("x>1", ["x": "abc"], false), ("x>1", [:], false),
        ("foo=bar", ["foo": "bar", "baz": "blah"], true), ("baz=blah", ["foo": "bar", "baz": "blah"], true),
        ("foo=bar,baz=blah", ["foo": "bar", "baz": "blah"], true), ("foo=blah", ["foo": "bar", "baz": "blah"], false),
        ("baz=bar", ["foo": "bar", "baz": "blah"], false),
        ("foo=bar,foobar=bar,baz=blah", ["foo": "bar", "baz": "blah"], false),
        ("x in (a,b)", ["x": "b"], true), ("x in (a,b)", ["x": "c"], false), ("x in (a,b)", [:], false),
        ("x notin (a,b)", ["x": "c"], true), ("x notin (a,b)", [:], true), ("x notin (a,b)", ["x": "a"], false),
        ("x in ()", ["x": ""], true), ("x=", ["x": ""], true), ("x=", [:], false),
    ] as [(String, [String: String], Bool)])
    func matches(_ selector: String, _ labels: [String: String], _ expect: Bool) throws {
        #expect(try Labels.Selector(parsing: selector).matches(labels) == expect)
    }

    @Test func everythingAndNothing() {
        #expect(Labels.Selector.everything.matches(["a": "b"]))
        #expect(Labels.Selector.everything.matches([:]))
        #expect(Labels.Selector.everything.isEmpty)
        #expect(Labels.Selector.everything.description == "")
        #expect(!Labels.Selector.nothing.matches([:]))
        #expect(!Labels.Selector.nothing.isEmpty)
        #expect(Labels.Selector.nothing.description == "")
        #expect(Labels.Selector.nothing != Labels.Selector.everything)
    }

    // Upstream TestRequiresExactMatch.
    @Test(arguments: [
        ("", "test", nil), ("t=v", "t", "v"), ("t==v", "t", "v"), ("t in (v)", "t", "v"), ("t in (v,w)", "t", nil),
        ("t!=v", "t", nil), ("t", "t", nil), ("!t", "t", nil), ("t notin (v)", "t", nil), ("t=v", "x", nil),
        ("a=b,t=v", "t", "v"),
    ] as [(String, String, String?)])
    func requiresExactMatch(_ selector: String, _ label: String, _ expect: String?) throws {
        #expect(try Labels.Selector(parsing: selector).requiresExactMatch(label) == expect)
    }

    // Upstream TestToString and NewRequirement validation.
    @Test func requirementsAndSets() throws {
        let s = Labels.Selector(requirements: [
            try .init(key: "z", operator: .doesNotExist, values: []),
            try .init(key: "x", operator: .notIn, values: ["def", "abc"]),
            try .init(key: "y", operator: .notEquals, values: ["jkl"]),
        ])
        #expect(s.description == "x notin (abc,def),y!=jkl,!z")
        #expect(Labels.Selector(matching: ["b": "2", "a": "1"]).description == "a=1,b=2")
        #expect(Labels.Selector(matching: [:]) == .everything)
        #expect(s.adding([try .init(key: "a", operator: .exists, values: [])]).description == "a,x notin (abc,def),y!=jkl,!z")
        #expect(throws: Labels.SelectorError(
            "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty")) {
            try Labels.Requirement(key: "x", operator: .in, values: [])
        }
        #expect(throws: Labels.SelectorError(
            "values: Invalid value: []string{\"a\", \"b\"}: exact-match compatibility requires one single value")) {
            try Labels.Requirement(key: "x", operator: .equals, values: ["a", "b"])
        }
        #expect(throws: Labels.SelectorError(
            "values: Invalid value: []string{\"a\"}: values set must be empty for exists and does not exist")) {
            try Labels.Requirement(key: "x", operator: .exists, values: ["a"])
        }
        #expect(throws: Labels.SelectorError.self) { try Labels.Requirement(key: "x y", operator: .exists, values: []) }
        #expect(throws: Labels.SelectorError.self) { try Labels.Requirement(key: "x", operator: .greaterThan, values: ["1", "2"]) }
    }

    /// Built through JSON so the test only relies on the generated type's Codable conformance.
    private func apiSelector(_ json: String) throws -> MetaV1.LabelSelector {
        try JSONDecoder().decode(MetaV1.LabelSelector.self, from: Data(json.utf8))
    }

    // Upstream helpers_test.go TestLabelSelectorAsSelector.
    @Test func fromAPILabelSelector() throws {
        let labels = #""matchLabels":{"foo":"bar"}"#
        let expressions = #""matchExpressions":[{"key":"baz","operator":"In","values":["qux","norf"]}]"#
        #expect(try Labels.Selector(nil as MetaV1.LabelSelector?) == .nothing)
        #expect(try Labels.Selector(apiSelector("{}")) == .everything)
        #expect(try Labels.Selector(apiSelector(#"{"matchLabels":{},"matchExpressions":[]}"#)) == .everything)
        #expect(try Labels.Selector(apiSelector("{\(labels)}")).description == "foo=bar")
        #expect(try Labels.Selector(apiSelector("{\(expressions)}")).description == "baz in (norf,qux)")
        let both = try Labels.Selector(apiSelector("{\(labels),\(expressions)}"))
        #expect(both.description == "baz in (norf,qux),foo=bar")
        #expect(both.matches(["foo": "bar", "baz": "qux"]))
        #expect(!both.matches(["foo": "bar"]))
        let exists = try apiSelector(#"{"matchExpressions":[{"key":"baz","operator":"Exists","values":["qux","norf"]}]}"#)
        #expect(throws: Labels.SelectorError.self) { try Labels.Selector(exists) }
        let bogus = try apiSelector(#"{"matchExpressions":[{"key":"baz","operator":"Bogus"}]}"#)
        #expect(throws: Labels.SelectorError("\"Bogus\" is not a valid label selector operator")) {
            try Labels.Selector(bogus)
        }
        let notExists = try apiSelector(
            #"{"matchExpressions":[{"key":"gone","operator":"DoesNotExist"},{"key":"a","operator":"NotIn","values":["x"]}]}"#)
        let s = try Labels.Selector(notExists)
        #expect(s.description == "a notin (x),!gone")
        #expect(s.matches([:]))
        #expect(!s.matches(["gone": "1"]))
        let multi = try apiSelector(#"{"matchLabels":{"b":"2","a":"1","c":"3"}}"#)
        #expect(try Labels.Selector(multi).description == "a=1,b=2,c=3")
    }
}
