import Foundation
import Testing
@testable import KubeModel

@Suite struct IntOrStringTests {
    // Upstream intstr_test.go TestGetIntFromIntOrPercent / GetScaledValueFromIntOrPercent cases.
    @Test(arguments: [
        (IntOrString.int(123), 100, false, 123), (.int(123), 100, true, 123),
        (.string("90%"), 100, true, 90), (.string("90%"), 95, true, 86), (.string("90%"), 95, false, 85),
        (.string("25%"), 10, true, 3), (.string("25%"), 10, false, 2), (.string("0%"), 10, true, 0),
        (.string("100%"), 7, false, 7), (.string("33%"), 3, true, 1), (.string("33%"), 3, false, 0),
        (.int(0), 10, true, 0), (.string("-10%"), 15, false, -2), (.string("-10%"), 15, true, -1),
    ] as [(IntOrString, Int, Bool, Int)])
    func scaledValue(_ v: IntOrString, _ total: Int, _ roundUp: Bool, _ expect: Int) throws {
        #expect(try v.scaledValue(total: total, roundUp: roundUp) == expect)
    }

    @Test(arguments: [
        ("%", "invalid value for IntOrString: invalid value \"%\": strconv.Atoi: parsing \"\": invalid syntax"),
        ("5", "invalid value for IntOrString: invalid type: string is not a percentage"),
        ("90#", "invalid value for IntOrString: invalid type: string is not a percentage"),
        ("#%", "invalid value for IntOrString: invalid value \"#%\": strconv.Atoi: parsing \"#\": invalid syntax"),
        ("1.5%", "invalid value for IntOrString: invalid value \"1.5%\": strconv.Atoi: parsing \"1.5\": invalid syntax"),
    ])
    func scaledValueErrors(_ s: String, _ message: String) {
        #expect(throws: IntOrString.ScaleError(message: message)) {
            try IntOrString.string(s).scaledValue(total: 100, roundUp: false)
        }
    }

    // Upstream TestIntOrStringUnmarshalJSON / MarshalJSON.
    @Test(arguments: [
        ("{\"val\":123}", IntOrString.int(123)), ("{\"val\":\"123\"}", .string("123")),
        ("{\"val\":\"http\"}", .string("http")), ("{\"val\":-5}", .int(-5)), ("{\"val\":\"25%\"}", .string("25%")),
    ])
    func json(_ json: String, _ expect: IntOrString) throws {
        struct Holder: Codable, Equatable { var val: IntOrString }
        let decoded = try JSONDecoder().decode(Holder.self, from: Data(json.utf8))
        #expect(decoded.val == expect)
        #expect(String(decoding: try JSONEncoder().encode(decoded), as: UTF8.self) == json)
    }

    @Test(arguments: ["1.5", "true", "[]", "4294967296"])
    func rejectsJSON(_ json: String) {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(IntOrString.self, from: Data(json.utf8)) }
    }

    @Test func descriptionAndIntValue() {
        #expect(IntOrString.int(8080).description == "8080")
        #expect(IntOrString.string("http").description == "http")
        #expect(IntOrString.string("42").intValue == 42)
        #expect(IntOrString.string("http").intValue == 0)
        #expect(IntOrString.int(7).intValue == 7)
        let literal: IntOrString = 80
        #expect(literal == .int(80))
        let named: IntOrString = "web"
        #expect(named == .string("web"))
    }
}
