import Testing
@testable import KubeModel

private let a63 = String(repeating: "a", count: 63)
private let a64 = String(repeating: "a", count: 64)

// Good/bad tables from upstream util/validation/validation_test.go.
@Suite struct NameValidationTests {
    @Test(arguments: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", a63])
    func dns1123LabelGood(_ v: String) { #expect(NameValidation.isDNS1123Label(v).isEmpty) }

    @Test(arguments: [
        "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1",
        "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", a64, "ä",
    ])
    func dns1123LabelBad(_ v: String) { #expect(!NameValidation.isDNS1123Label(v).isEmpty) }

    @Test(arguments: [
        "a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "012", "1a", "1-a", "1--a--b--2", "a.a", "ab.a",
        "abc.a", "a1.a", "a-1.a", "a--1--2--b.a", "a.1", "ab.1", "abc.1", "a1.1", "a-1.1", "a--1--2--b.1", "0.a",
        "01.a", "012.a", "1a.a", "1-a.a", "1--a--b--2", "0.1", "01.1", "012.1", "1a.1", "1-a.1", "1--a--b--2.1",
        "a.b.c.d.e", "aa.bb.cc.dd.ee", "1.2.3.4.5", "11.22.33.44.55", String(repeating: "a", count: 253),
    ])
    func dns1123SubdomainGood(_ v: String) { #expect(NameValidation.isDNS1123Subdomain(v).isEmpty) }

    @Test(arguments: [
        "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-", "-1", "_", "a_", "_a", "a_b", "1_", "_1",
        "1_2", ".", "a.", ".a", "a..b", "1.", ".1", "1..2", " ", "a ", " a", "a b", "1 ", " 1", "1 2", "A.a", "aB.a",
        "ab.A", "A1.a", "a1.A", "A.1", "aB.1", "A1.1", "1A.1", "0.A", "01.A", "012.A", "1A.a", "1a.A", "A.B.C.D.E",
        "AA.BB.CC.DD.EE", "a.B.c.d.e", "aa.bB.cc.dd.ee", "a@b", "a,b", "a_b", "a;b", "a:b", "a%b", "a?b", "a$b",
        String(repeating: "a", count: 254),
    ])
    func dns1123SubdomainBad(_ v: String) { #expect(!NameValidation.isDNS1123Subdomain(v).isEmpty) }

    @Test(arguments: ["a", "ab", "abc", "a1", "a-1", "a--1--2--b", a63])
    func dns1035LabelGood(_ v: String) { #expect(NameValidation.isDNS1035Label(v).isEmpty) }

    @Test(arguments: [
        "0", "01", "012", "1a", "1-a", "1--a--b--2", "", "A", "ABC", "aBc", "A1", "A-1", "1-A", "-", "a-", "-a", "1-",
        "-1", "_", "a_", "_a", "a_b", "1_", "_1", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ", "a ", " a",
        "a b", "1 ", " 1", "1 2", a64,
    ])
    func dns1035LabelBad(_ v: String) { #expect(!NameValidation.isDNS1035Label(v).isEmpty) }

    @Test(arguments: [
        "a", "ab", "abc", "a1", "_a", "a_", "a_b", "a_1", "_1", "a_1b", "a_b_c", "A", "AB", "AbC", "A1", "_A", "A_",
        "A_B", "A_1", "A_1B", "A_B_C", "aA", "Aa", "_aA", "a_B_C_D",
    ])
    func cIdentifierGood(_ v: String) { #expect(NameValidation.isCIdentifier(v).isEmpty) }

    @Test(arguments: [
        "", "1", "123", "1a", "-", "a-", "-a", "1-", "-1", "1_", "1_2", ".", "a.", ".a", "a.b", "1.", ".1", "1.2", " ",
        "a ", " a", "a b", "1 ", " 1", "1 2", "#a#",
    ])
    func cIdentifierBad(_ v: String) { #expect(!NameValidation.isCIdentifier(v).isEmpty) }

    @Test(arguments: [(1, true), (2, true), (1000, true), (16384, true), (32768, true), (65535, true),
                      (0, false), (-1, false), (65536, false), (100000, false)])
    func portNum(_ port: Int, _ ok: Bool) {
        #expect(NameValidation.isValidPortNum(port).isEmpty == ok)
        if !ok { #expect(NameValidation.isValidPortNum(port) == ["must be between 1 and 65535, inclusive"]) }
    }

    @Test(arguments: ["telnet", "re-mail-ck", "pop3", "a", "a-1", "1-a", "a-1-b-2-c", "1-a-2-b-3"])
    func portNameGood(_ v: String) { #expect(NameValidation.isValidPortName(v).isEmpty) }

    @Test(arguments: [
        ("longerthan15characters", ["must be no more than 15 characters"]),
        ("", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)"]),
        (String(repeating: "a", count: 16), ["must be no more than 15 characters"]),
        ("12345", ["must contain at least one letter (a-z)"]),
        ("1-2-3-4", ["must contain at least one letter (a-z)"]),
        ("-begin", ["must not begin or end with a hyphen"]),
        ("end-", ["must not begin or end with a hyphen"]),
        ("two--hyphens", ["must not contain consecutive hyphens"]),
        ("whois++", ["must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"]),
    ])
    func portNameBad(_ v: String, _ expect: [String]) { #expect(NameValidation.isValidPortName(v) == expect) }

    @Test(arguments: [
        "simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple",
        "1-num.2-num/3-num", "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123",
        "requests.storage-foo", a63, String(repeating: "a", count: 253) + "/" + a63,
    ])
    func qualifiedNameGood(_ v: String) { #expect(NameValidation.isQualifiedName(v).isEmpty) }

    @Test(arguments: [
        "nospecialchars%^=@", "cantendwithadash-", "-cantstartwithadash-", "only/one/slash", "Example.com/abc",
        "example_com/abc", "example.com/", "/simple", a64, String(repeating: "a", count: 254) + "/abc",
    ])
    func qualifiedNameBad(_ v: String) { #expect(!NameValidation.isQualifiedName(v).isEmpty) }

    @Test(arguments: ["simple", "now-with-dashes", "1-starts-with-num", "end-with-num-1", "1234", a63, ""])
    func labelValueGood(_ v: String) { #expect(NameValidation.isValidLabelValue(v).isEmpty) }

    @Test(arguments: [
        "nospecialchars%^=@", "Tama-nui-te-rā.is.Māori.sun", "\\backslashes\\are\\bad", "-starts-with-dash",
        "ends-with-dash-", ".starts.with.dot", "ends.with.dot.", a64,
    ])
    func labelValueBad(_ v: String) { #expect(!NameValidation.isValidLabelValue(v).isEmpty) }

    @Test func exactMessages() {
        #expect(NameValidation.isDNS1123Label("a.b") == ["must not contain dots"])
        #expect(NameValidation.isDNS1123Label("A") == [
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
        ])
        #expect(NameValidation.isDNS1123Label(a64) == ["must be no more than 63 characters"])
        #expect(NameValidation.isDNS1123Subdomain("Foo") == [
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ])
        #expect(NameValidation.isDNS1035Label("1a") == [
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ])
        #expect(NameValidation.isQualifiedName("example.com/") == [
            "name part must be non-empty",
            "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ])
        #expect(NameValidation.isQualifiedName("/simple") == ["prefix part must be non-empty"])
        #expect(NameValidation.isQualifiedName("Example.com/abc").first?.hasPrefix("prefix part a lowercase RFC 1123 subdomain") == true)
        #expect(NameValidation.isQualifiedName(a64) == ["name part must be no more than 63 characters"])
        #expect(NameValidation.isQualifiedName("a/b/c").first?.hasPrefix("a valid label key must consist of") == true)
        #expect(NameValidation.isValidLabelValue("-x") == [
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        ])
        #expect(NameValidation.isCIdentifier("1") == [
            "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
        ])
        #expect(NameValidation.isValidPercent("50%").isEmpty)
        #expect(!NameValidation.isValidPercent("%").isEmpty)
    }

    // generateName: a trailing dash is allowed when `prefix` is set (upstream NameIsDNSSubdomain etc.).
    @Test(arguments: [
        ("my-pod-", true, true), ("my-pod-", false, false), ("my-pod", false, true), ("-", true, false),
        ("a-", true, true), ("Bad-", true, false), ("my.pod-", true, true), (String(repeating: "a", count: 253) + "-", true, true),
    ])
    func nameIsDNSSubdomain(_ name: String, _ prefix: Bool, _ ok: Bool) {
        #expect(NameValidation.nameIsDNSSubdomain(name, prefix: prefix).isEmpty == ok)
    }

    @Test(arguments: [
        ("web-", true, true), ("web-", false, false), ("web", false, true), ("w.eb-", true, false), ("1web-", true, true),
    ])
    func nameIsDNSLabel(_ name: String, _ prefix: Bool, _ ok: Bool) {
        #expect(NameValidation.nameIsDNSLabel(name, prefix: prefix).isEmpty == ok)
        if name != "1web-" { #expect(NameValidation.nameIsDNS1035Label(name, prefix: prefix).isEmpty == ok) }
    }
}
