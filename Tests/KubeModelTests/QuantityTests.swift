import Foundation
import Testing
@testable import KubeModel

private func dec(_ m: Int128, _ e: Int32, _ f: Quantity.Format) -> Quantity {
    Quantity(mantissa: m, exponent: e, format: f)
}

struct ParseCase: Sendable, CustomStringConvertible {
    let input: String
    let expect: Quantity
    init(_ input: String, _ expect: Quantity) {
        self.input = input
        self.expect = expect
    }
    var description: String { input }
}

// Cases from upstream quantity_test.go TestQuantityParse.
private let parseCases: [ParseCase] = [
    .init("0", dec(0, 0, .decimalSI)), .init("0n", dec(0, 0, .decimalSI)), .init("0u", dec(0, 0, .decimalSI)),
    .init("0m", dec(0, 0, .decimalSI)), .init("0Ki", dec(0, 0, .binarySI)), .init("0k", dec(0, 0, .decimalSI)),
    .init("0Mi", dec(0, 0, .binarySI)), .init("0M", dec(0, 0, .decimalSI)), .init("0Gi", dec(0, 0, .binarySI)),
    .init("0G", dec(0, 0, .decimalSI)), .init("0Ti", dec(0, 0, .binarySI)), .init("0T", dec(0, 0, .decimalSI)),
    .init("1", dec(1, 0, .decimalSI)),
    .init("1Ki", dec(1024, 0, .binarySI)), .init("8Ki", dec(8 * 1024, 0, .binarySI)),
    .init("7Mi", dec(7 * 1024 * 1024, 0, .binarySI)), .init("6Gi", dec(6 << 30, 0, .binarySI)),
    .init("5Ti", dec(5 << 40, 0, .binarySI)), .init("4Pi", dec(4 << 50, 0, .binarySI)),
    .init("3Ei", dec(3 << 60, 0, .binarySI)), .init("10Ti", dec(10 << 40, 0, .binarySI)),
    .init("100Ti", dec(100 << 40, 0, .binarySI)),
    .init("5n", dec(5, -9, .decimalSI)), .init("4u", dec(4, -6, .decimalSI)), .init("3m", dec(3, -3, .decimalSI)),
    .init("9", dec(9, 0, .decimalSI)), .init("8k", dec(8, 3, .decimalSI)), .init("50k", dec(5, 4, .decimalSI)),
    .init("7M", dec(7, 6, .decimalSI)), .init("6G", dec(6, 9, .decimalSI)), .init("5T", dec(5, 12, .decimalSI)),
    .init("40T", dec(4, 13, .decimalSI)), .init("300T", dec(3, 14, .decimalSI)), .init("2P", dec(2, 15, .decimalSI)),
    .init("1E", dec(1, 18, .decimalSI)),
    .init("1E-3", dec(1, -3, .decimalExponent)), .init("1e3", dec(1, 3, .decimalExponent)),
    .init("1E6", dec(1, 6, .decimalExponent)), .init("1e9", dec(1, 9, .decimalExponent)),
    .init("1E12", dec(1, 12, .decimalExponent)), .init("1e15", dec(1, 15, .decimalExponent)),
    .init("1E18", dec(1, 18, .decimalExponent)), .init("1e14", dec(1, 14, .decimalExponent)),
    .init("1e13", dec(1, 13, .decimalExponent)), .init("100.035k", dec(100035, 0, .decimalSI)),
    .init("0.001", dec(1, -3, .decimalSI)), .init("0.0005k", dec(5, -1, .decimalSI)),
    .init("0.005", dec(5, -3, .decimalSI)), .init("0.05", dec(5, -2, .decimalSI)), .init("0.5", dec(5, -1, .decimalSI)),
    .init("0.00050k", dec(5, -1, .decimalSI)), .init("0.00500", dec(5, -3, .decimalSI)),
    .init("0.05000", dec(5, -2, .decimalSI)), .init("0.50000", dec(5, -1, .decimalSI)),
    .init("0.5e0", dec(5, -1, .decimalExponent)), .init("0.5e-1", dec(5, -2, .decimalExponent)),
    .init("0.5e-2", dec(5, -3, .decimalExponent)), .init("10.035M", dec(10035, 3, .decimalSI)),
    .init("1.2e3", dec(12, 2, .decimalExponent)), .init("1.3E+6", dec(13, 5, .decimalExponent)),
    .init("1.40e9", dec(14, 8, .decimalExponent)), .init("1.53E12", dec(153, 10, .decimalExponent)),
    .init("1.6e15", dec(16, 14, .decimalExponent)), .init("1.7E18", dec(17, 17, .decimalExponent)),
    .init("9.01", dec(901, -2, .decimalSI)), .init("8.1k", dec(81, 2, .decimalSI)),
    .init("7.123456M", dec(7123456, 0, .decimalSI)), .init("6.987654321G", dec(6987654321, 0, .decimalSI)),
    .init("5.444T", dec(5444, 9, .decimalSI)), .init("40.1T", dec(401, 11, .decimalSI)),
    .init("300.2T", dec(3002, 11, .decimalSI)), .init("2.5P", dec(25, 14, .decimalSI)),
    .init("1.01E", dec(101, 16, .decimalSI)),
    // Things that saturate/round.
    .init("3.001n", dec(4, -9, .decimalSI)), .init("1.1E-9", dec(2, -9, .decimalExponent)),
    .init("0.0000000001", dec(1, -9, .decimalSI)), .init("0.0000000005", dec(1, -9, .decimalSI)),
    .init("0.00000000050", dec(1, -9, .decimalSI)), .init("0.5e-9", dec(1, -9, .decimalExponent)),
    .init("0.9n", dec(1, -9, .decimalSI)), .init("0.00000012345", dec(124, -9, .decimalSI)),
    .init("0.00000012354", dec(124, -9, .decimalSI)),
    .init("9Ei", dec(Int128(Int64.max), 0, .binarySI)),
    .init("9223372036854775807Ki", dec(Int128(Int64.max), 0, .binarySI)),
    .init("12E", dec(12, 18, .decimalSI)),
    // Fractional binary.
    .init("100.035Ki", dec(10243584, -2, .binarySI)), .init("0.5Mi", dec(512 * 1024, 0, .binarySI)),
    .init("0.05Gi", dec(536870912, -1, .binarySI)), .init("0.025Ti", dec(274877906944, -1, .binarySI)),
    // Things written by trolls.
    .init("0.000000000001Ki", dec(2, -9, .decimalSI)), .init(".001", dec(1, -3, .decimalSI)),
    .init(".0001k", dec(100, -3, .decimalSI)), .init("1.", dec(1, 0, .decimalSI)), .init("1.G", dec(1, 9, .decimalSI)),
]

@Suite struct QuantityTests {
    @Test(arguments: parseCases)
    func parses(_ c: ParseCase) throws {
        let q = try Quantity(parsing: c.input)
        #expect(q == c.expect)
        #expect(q.format == c.expect.format)
        let positive = try Quantity(parsing: "+" + c.input)
        #expect(positive == c.expect)
        #expect(positive.format == c.expect.format)
        let negative = try Quantity(parsing: "-" + c.input)
        #expect(negative == -c.expect)
        #expect(negative.format == c.expect.format)
    }

    @Test(arguments: [
        "", "1.1.M", "1+1.0M", "0.1mi", "0.1am", "aoeu", ".5i", "1i", "-3.01i", "-3.01e-", "1e4294967297",
        " 1", "1 ", "1.2.3", "1 Gi", "1ii", "Non-Numeric", "1e", "1Ki5", "1KiB", "1gi", "10%",
    ])
    func rejects(_ input: String) {
        #expect(throws: Quantity.ParseError.self) { try Quantity(parsing: input) }
    }

    @Test func errorMessages() {
        #expect(throws: Quantity.ParseError.suffix) { try Quantity(parsing: "1i") }
        #expect(throws: Quantity.ParseError.formatWrong) { try Quantity(parsing: "1.2.3") }
        #expect(Quantity.ParseError.suffix.description == "unable to parse quantity's suffix")
        #expect(Quantity.ParseError.formatWrong.description
            == "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'")
    }

    /// Upstream accepts a bare sign or suffix as zero (kubernetes/apimachinery#165).
    @Test(arguments: ["Gi", "m", "-", "+", ".", "-."])
    func bareSuffixIsZero(_ input: String) throws {
        #expect(try Quantity(parsing: input).isZero)
    }

    // Upstream TestQuantityParseEmit plus the canonical forms called out for Skiff.
    @Test(arguments: [
        ("1Ki", "1Ki"), ("1Mi", "1Mi"), ("1Gi", "1Gi"), ("1024Mi", "1Gi"), ("1000M", "1G"),
        (".001Ki", "1024m"), (".000001Ki", "1024u"), (".000000001Ki", "1024n"), (".000000000001Ki", "2n"),
        ("1.5G", "1500M"), ("0.5", "500m"), ("1000m", "1"), ("1e3", "1e3"), ("100m", "100m"), ("+1", "1"),
        ("-5Ki", "-5Ki"), (".5", "500m"), ("1E", "1E"), ("12Mi", "12Mi"), ("1.5Gi", "1536Mi"), ("1.5", "1500m"),
        ("0", "0"), ("0Gi", "0"), ("-0", "0"), ("1024m", "1024m"), ("1080m", "1080m"), ("1.08", "1080m"),
        ("1000u", "1m"), ("0.001T", "1G"), ("1025", "1025"), ("5000m", "5"), ("307200Ki", "300Mi"),
        ("1025024Mi", "1001Gi"), ("1024Gi", "1Ti"), (".001e12", "1e9"), ("0.001e0", "1e-3"), ("1000e-12", "1e-9"),
        ("80e-3", "80e-3"), ("300e6", "300e6"), ("00", "0"), ("1080000000n", "1080m"), ("1000E", "1e21"),
        ("5000E", "5e21"), ("1000000E", "1e24"), ("9Ei", "9223372036854775807"), ("1023Ki", "1023Ki"), ("0.5Ki", "512"),
        ("1.1Ki", "1126400m"), ("12E", "12E"), ("100.035k", "100035"), ("10Ki", "10Ki"), ("2000Ki", "2000Ki"),
    ])
    func canonicalString(_ input: String, _ expect: String) throws {
        let q = try Quantity(parsing: input)
        #expect(q.description == expect)
        if !q.isZero, !input.hasPrefix("-"), !input.hasPrefix("+") {
            #expect(try Quantity(parsing: "-" + input).description == "-" + expect)
        }
        // The canonical form parses back to the same value.
        #expect(try Quantity(parsing: expect) == q)
    }

    // Upstream TestQuantityString (constructed values).
    @Test(arguments: [
        (dec(1024 * 1024 * 1024, 0, .binarySI), "1Gi"), (dec(300 * 1024 * 1024, 0, .binarySI), "300Mi"),
        (dec(6 * 1024, 0, .binarySI), "6Ki"), (dec(1001 << 30, 0, .binarySI), "1001Gi"),
        (dec(1 << 40, 0, .binarySI), "1Ti"), (dec(5, 0, .binarySI), "5"), (dec(500, -3, .binarySI), "500m"),
        (dec(1, 9, .decimalSI), "1G"), (dec(1000, 6, .decimalSI), "1G"), (dec(1000000, 3, .decimalSI), "1G"),
        (dec(1, -3, .decimalSI), "1m"), (dec(80, -3, .decimalSI), "80m"), (dec(1080, -3, .decimalSI), "1080m"),
        (dec(108, -2, .decimalSI), "1080m"), (dec(10800, -4, .decimalSI), "1080m"), (dec(300, 6, .decimalSI), "300M"),
        (dec(1, 12, .decimalSI), "1T"), (dec(1, 18, .decimalSI), "1E"), (dec(1, 21, .decimalSI), "1e21"),
        (dec(1, 70, .binarySI), "10e69"), (dec(2, 70, .binarySI), "20e69"), (dec(1, 72, .binarySI), "1e72"),
        (dec(1234567, 6, .decimalSI), "1234567M"), (dec(1234567, -3, .binarySI), "1234567m"),
        (dec(3, 3, .decimalSI), "3k"), (dec(1025, 0, .binarySI), "1025"), (dec(0, 0, .binarySI), "0"),
        (dec(1, 9, .decimalExponent), "1e9"), (dec(1, -3, .decimalExponent), "1e-3"),
        (dec(1, -9, .decimalExponent), "1e-9"), (dec(80, -3, .decimalExponent), "80e-3"),
        (dec(300, 6, .decimalExponent), "300e6"), (dec(3, 3, .decimalExponent), "3e3"),
        (dec(0, 0, .decimalExponent), "0"), (dec(1, -9, .decimalSI), "1n"), (dec(108, -8, .decimalSI), "1080n"),
        (dec(10800, -10, .decimalSI), "1080n"), (dec(1, -6, .decimalSI), "1u"), (dec(1080, -6, .decimalSI), "1080u"),
        (dec(2000, 0, .binarySI), "2000"), (dec(-2000, 0, .binarySI), "-2000"), (dec(1, -12, .decimalSI), "1e-12"),
        (dec(1, -10, .decimalSI), "100e-12"), (dec(Int128(1) << 70, 0, .binarySI), "1180591620717411303424"),
    ])
    func constructedString(_ q: Quantity, _ expect: String) {
        #expect(q.description == expect)
        if !q.isZero, !expect.hasPrefix("-") { #expect((-q).description == "-" + expect) }
    }

    @Test(arguments: [
        ("0", "0", 0), ("100m", "50m", 1), ("50m", "100m", -1), ("10000T", "100Gi", 1), ("1", "1000m", 0),
        ("1Ki", "1024", 0), ("1k", "1Ki", -1), ("-1", "1", -1), ("-2", "-1", -1), ("1e3", "1k", 0),
        ("1E", "1Ei", -1), ("1e30", "1e29", 1), ("-1e30", "1n", -1), ("1n", "0", 1),
    ])
    func compares(_ x: String, _ y: String, _ expect: Int) throws {
        let a = try Quantity(parsing: x)
        let b = try Quantity(parsing: y)
        #expect(a.compare(b) == expect)
        #expect(b.compare(a) == -expect)
        #expect((a < b) == (expect < 0))
        #expect((a == b) == (expect == 0))
        if expect == 0 { #expect(a.hashValue == b.hashValue) }
    }

    // Upstream TestNegativeValueRoundsAwayFromZero.
    @Test(arguments: [
        ("-.484785E-7466", -1, -1), (".484785E-7466", 1, 1), ("-.484785E-1", -1, -49), (".484785E-1", 1, 49),
        ("-0.0005", -1, -1), ("0.0005", 1, 1), ("-1500m", -2, -1500), ("1500m", 2, 1500),
        ("-9.5000000001Gi", -10200547329, -10200547328108), ("9.5000000001Gi", 10200547329, 10200547328108),
        ("-1", -1, -1000), ("1", 1, 1000), ("0", 0, 0), ("100m", 1, 100), ("1Gi", 1 << 30, 1000 << 30),
    ] as [(String, Int64, Int64)])
    func valueRoundsAwayFromZero(_ input: String, _ value: Int64, _ milli: Int64) throws {
        let q = try Quantity(parsing: input)
        #expect(q.value == value)
        #expect(q.milliValue == milli)
    }

    // Upstream TestMilliNewSet / TestNewSet / TestNewScaledSet.
    @Test func constructors() {
        #expect(Quantity(milli: 1).description == "1m")
        #expect(Quantity(milli: 1000).description == "1")
        #expect(Quantity(milli: 1234000).description == "1234")
        #expect(Quantity(milli: 1024, format: .binarySI).description == "1024m")
        #expect(Quantity(milli: 1000000, format: .decimalExponent).description == "1e3")
        #expect(Quantity(milli: 1024 * 1024, format: .binarySI).description == "1048576m")
        #expect(Quantity(value: 1).description == "1")
        #expect(Quantity(value: 1000).description == "1k")
        #expect(Quantity(value: 1234000).description == "1234k")
        #expect(Quantity(value: 1024, format: .binarySI).description == "1Ki")
        #expect(Quantity(value: 1000000, format: .decimalExponent).description == "1e6")
        #expect(Quantity(value: 1024 * 1024, format: .binarySI).description == "1Mi")
        #expect(Quantity(scaled: 1, scale: -9).description == "1n")
        #expect(Quantity(scaled: 1000, scale: -9).description == "1u")
        #expect(Quantity(scaled: 1000, scale: -6).description == "1m")
        #expect(Quantity(scaled: 1000, scale: -3).description == "1")
        #expect(Quantity(scaled: 0, scale: -9).description == "0")
        #expect(Quantity(scaled: 1, scale: 2).scaledValue(-2) == 10000)
        #expect(Quantity(scaled: 1, scale: -9).scaledValue(0) == 1)
        #expect(Quantity(milli: 1500).milliValue == 1500)
    }

    @Test(arguments: [
        ("10", "1", "11", "9"), ("1", "500m", "1500m", "500m"), ("1Gi", "1Gi", "2Gi", "0"),
        ("100m", "0", "100m", "100m"), ("1Gi", "0", "1Gi", "1Gi"), ("1.5", "1.5", "3", "0"),
        ("1e3", "1", "1001", "999"), ("1", "1e3", "1001", "-999"),
    ])
    func arithmetic(_ x: String, _ y: String, _ sum: String, _ difference: String) throws {
        let a = try Quantity(parsing: x)
        let b = try Quantity(parsing: y)
        #expect((a + b).description == sum)
        #expect((a - b).description == difference)
    }

    // Upstream TestQuantityAddZeroPreservesSuffix / TestSub.
    @Test(arguments: ["100m", "1Gi"])
    func zeroPreservesSuffix(_ input: String) throws {
        let value = try Quantity(parsing: input)
        let zero = Quantity.mustParse("0")
        #expect((value + zero).description == input)
        #expect((zero + value).description == input)
        #expect((value - zero).description == input)
        #expect((zero - value).description == "-" + input)
    }

    @Test func subtractKeepsLeftFormat() {
        #expect((dec(10, 0, .decimalSI) - dec(1, 0, .binarySI)).format == .decimalSI)
        #expect((dec(10, 0, .binarySI) - dec(1, 0, .decimalSI)).format == .binarySI)
        #expect((dec(10, 0, .decimalSI) - dec(1, 1, .decimalSI)).isZero)
        #expect(dec(901, -2, .decimalSI).multiplied(by: 2)?.description == "18020m")
        #expect(Quantity.mustParse("9.01").roundedUp(toScale: -1) == (dec(91, -1, .decimalSI), false))
        #expect(Quantity.mustParse("-9.01").roundedUp(toScale: 0).quantity == dec(-10, 0, .decimalSI))
        #expect(Quantity.mustParse("9.01").roundedUp(toScale: -2).exact)
    }

    // Upstream TestJSONWhitespace plus numbers and canonical encoding.
    @Test(arguments: [
        (#"" 1""#, "1"), (#""1 ""#, "1"), ("1", "1"), (" 1", "1"), ("1 ", "1"), ("10", "10"), ("-1", "-1"),
        (" -1", "-1"), (#""1.5G""#, "1500M"), ("0.5", "500m"), (#""100m""#, "100m"), ("1e3", "1k"),
        ("1024", "1024"), (#""1024Mi""#, "1Gi"),
    ])
    func decodesJSON(_ json: String, _ expect: String) throws {
        let q = try JSONDecoder().decode(Quantity.self, from: Data(json.utf8))
        #expect(q.description == expect)
        let encoded = try JSONEncoder().encode(q)
        #expect(String(decoding: encoded, as: UTF8.self) == "\"\(expect)\"")
    }

    @Test(arguments: [#""abc""#, #""""#, "true", #""1 Gi""#])
    func rejectsBadJSON(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Quantity.self, from: Data(json.utf8)) }
    }

    @Test func optionalNullDecodes() throws {
        struct Holder: Codable { var q: Quantity? }
        let h = try JSONDecoder().decode(Holder.self, from: Data(#"{"q":null}"#.utf8))
        #expect(h.q == nil)
    }

    @Test func literal() {
        let q: Quantity = "250m"
        #expect(q.milliValue == 250)
        #expect(Set([Quantity.mustParse("1"), Quantity.mustParse("1000m")]).count == 1)
    }
}
