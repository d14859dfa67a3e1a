import Testing
@testable import KubeAPIServer

@Suite("Media types of Content-Type and Accept")
struct MediaTypeTests {
    @Test(arguments: [
        ("application/json", "application/json", [:]),
        (" Application/JSON ; Charset=utf-8 ", "application/json", ["charset": "utf-8"]),
        ("application/json;as=Table;v=v1;g=meta.k8s.io", "application/json", ["as": "Table", "v": "v1", "g": "meta.k8s.io"]),
        ("\tapplication/yaml\t", "application/yaml", [:]),
        ("application/json; q=\"0.5\"", "application/json", ["q": "0.5"]),
        ("application/json;broken", "application/json", [:]),
        ("", "", [:]),
    ] as [(String, String, [String: String])])
    func parses(_ header: String, _ essence: String, _ parameters: [String: String]) {
        let parsed = MediaType(header)
        #expect(parsed.essence == essence)
        #expect(parsed.parameters == parameters)
        #expect(MediaType.contentType(header) == parsed)
    }

    @Test(arguments: [
        ("application/json;q=0, application/yaml", ["application/yaml"]),
        ("application/json;as=Table;v=v1;g=meta.k8s.io,application/json", ["application/json", "application/json"]),
        (" \t ", []),
    ] as [(String, [String])])
    func acceptListsDropRefusedRanges(_ header: String, _ essences: [String]) {
        #expect(MediaType.acceptList(header).map(\.essence) == essences)
    }
}
