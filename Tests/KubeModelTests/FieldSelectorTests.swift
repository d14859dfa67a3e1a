import Testing
@testable import KubeModel

// Cases from upstream fields/selector_test.go.
@Suite struct FieldSelectorTests {
    @Test(arguments: [
        ("x=a,y=b,z=c", "x=a,y=b,z=c"), ("", ""), ("x!=y", "x!=y"), ("z=c,x=a", "x=a,z=c"), ("x==a", "x=a"),
        ("metadata.name=foo", "metadata.name=foo"), ("x=a,,y=b", "x=a,y=b"), ("x=", "x="),
        (#"x=a\,b"#, #"x=a\,b"#), (#"x=a\=b"#, #"x=a\=b"#), (#"x=a\\b"#, #"x=a\\b"#),
        ("spec.nodeName!=,status.phase=Running", "spec.nodeName!=,status.phase=Running"),
    ])
    func parsesToCanonical(_ input: String, _ expect: String) throws {
        let selector = try Fields.Selector(parsing: input)
        #expect(selector.description == expect)
        #expect(try Fields.Selector(parsing: expect) == selector)
    }

    @Test(arguments: [
        ("x=a||y=b", "invalid field selector: unescaped character in value: ="),
        ("x==a==b", "invalid field selector: unescaped character in value: ="),
        ("x=a,b", "invalid selector: 'x=a,b'; can't understand 'b'"),
        ("x in (a)", "invalid selector: 'x in (a)'; can't understand 'x in (a)'"),
        ("x in (a,b,c)", "invalid selector: 'x in (a,b,c)'; can't understand 'b'"),
        ("x", "invalid selector: 'x'; can't understand 'x'"),
        (#"x=a\b"#, #"invalid field selector: invalid escape sequence: \b"#),
        (#"x=a\"#, #"invalid field selector: invalid escape sequence: \"#),
    ])
    func rejects(_ input: String, _ message: String) {
        #expect(throws: Fields.SelectorError(message)) { try Fields.Selector(parsing: input) }
    }

    @Test(arguments: [
        ("", "", true), ("a", "a", true), ("=", #"\="#, true), (",", #"\,"#, true), (#"\"#, #"\\"#, true),
        (#"\=\,\"#, #"\\\=\\\,\\"#, true),
    ])
    func escaping(_ raw: String, _ escaped: String, _ roundTrips: Bool) throws {
        #expect(Fields.escapeValue(raw) == escaped)
        #expect(try Fields.unescapeValue(escaped) == raw)
    }

    @Test(arguments: [
        ("", ["x": "y"], true), ("x=y", ["x": "y"], true), ("x=y,z=w", ["x": "y", "z": "w"], true),
        ("x!=y,z!=w", ["x": "z", "z": "a"], true), ("x=y", ["x": "z"], false), ("x=y,z=w", ["x": "w", "z": "w"], false),
        ("x!=y,z!=w", ["x": "z", "z": "w"], false), ("x=", [:], true), ("x!=", [:], false), ("x!=y", [:], true),
        (#"x=a\,b"#, ["x": "a,b"], true), (#"x=a\=b"#, ["x": "a=b"], true),
    ] as [(String, [String: String], Bool)])
    func matches(_ selector: String, _ fields: [String: String], _ expect: Bool) throws {
        #expect(try Fields.Selector(parsing: selector).matches(fields) == expect)
    }

    @Test func requirementsAndExactMatch() throws {
        let s = try Fields.Selector(parsing: "status.phase!=Failed,metadata.name==web-0,spec.nodeName=n1")
        #expect(s.requirements == [
            Fields.Requirement(field: "metadata.name", operator: .equals, value: "web-0"),
            Fields.Requirement(field: "spec.nodeName", operator: .equals, value: "n1"),
            Fields.Requirement(field: "status.phase", operator: .notEquals, value: "Failed"),
        ])
        #expect(s.requiresExactMatch("metadata.name") == "web-0")
        #expect(s.requiresExactMatch("status.phase") == nil)
        #expect(s.requiresExactMatch("metadata.namespace") == nil)
        #expect(Fields.Selector.everything.isEmpty)
        #expect(Fields.Selector.everything.matches(["a": "b"]))
        #expect(!Fields.Selector.nothing.matches([:]))
        #expect(Fields.Selector.nothing.description == "")
        #expect(Fields.Selector(matching: ["b": "x,y", "a": "1"]).description == #"a=1,b=x\,y"#)
        #expect(try Fields.Selector(parsing: "").isEmpty)
    }
}
