import Foundation
import KubeModel
import Testing

/// The types' own JSON readers (`init(json:)`) give exactly what `JSONDecoder` gives: on every
/// corpus manifest, on random instances of every definition, and on awkward JSON.
@Suite struct JSONReaderTests {
    /// Reads with the type's reader alone (no fallback) and decodes with JSONDecoder.
    static func bothWays<T: KubeType>(_ type: T.Type, _ data: Data) throws -> (read: T, decoded: T) {
        var reader = JSONReader(Array(data))
        let read = try T(json: &reader)
        try reader.finish()
        return (read, try JSONDecoder().decode(T.self, from: data))
    }

    static func agree(_ type: any KubeType.Type, _ data: Data) throws -> Bool {
        func open<T: KubeType>(_ t: T.Type) throws -> Bool {
            let (read, decoded) = try bothWays(t, data)
            return read == decoded
        }
        return try open(type)
    }

    @Test(arguments: CorpusRoundTripTests.documents)
    func corpusManifestReadsAsDecoded(document: CorpusRoundTripTests.Document) throws {
        let apiVersion = try #require(document.json["apiVersion"]?.stringValue)
        let kind = try #require(document.json["kind"]?.stringValue)
        let type = try #require(CorpusRoundTripTests.typesByKind["\(apiVersion)/\(kind)"])
        let data = try JSONEncoder().encode(document.json)
        #expect(try Self.agree(type, data), "\(document)")
    }

    @Test(arguments: RoundTripPropertyTests.definitionNames)
    func randomInstancesReadAsDecoded(definition: String) throws {
        let type = try #require(KubeModelRegistry.typesByDefinition[definition])
        for seed in 0..<UInt64(10) {
            var generator = RandomInstance(schema: RoundTripPropertyTests.schema, seed: seed &* 104_729 &+ 17)
            let data = try JSONEncoder().encode(generator.instance(of: definition))
            let agrees = try Self.agree(type, data)
            #expect(agrees, "seed \(seed): \(String(decoding: data, as: UTF8.self))")
            if !agrees { return }
        }
    }

    static let awkward: [String] = [
        // Whitespace everywhere, unknown keys (skipped, nested), nulls for defaulted fields.
        #" { "metadata" : { "name" : "a" , "labels" : { "k" : "v" } } , "unknown" : { "x" : [ 1 , { "y" : "}" } ] } , "spec" : null } "#,
        // Escapes: quotes, backslashes, \u escapes and a surrogate pair.
        #"{"metadata":{"name":"a","annotations":{"q":"say \"hi\"\\n","e":"\u00e9\ud83d\ude00","ctl":"a\tb\u0000"}}}"#,
        // Numbers at the edges of their types, and quantities and int-or-strings of each form.
        #"{"metadata":{"name":"a","generation":9223372036854775807},"spec":{"terminationGracePeriodSeconds":-9223372036854775808,"containers":[{"name":"c","resources":{"limits":{"cpu":"1500m","memory":"1Gi"}},"ports":[{"containerPort":2147483647}],"readinessProbe":{"httpGet":{"port":"http"}},"livenessProbe":{"tcpSocket":{"port":8080}}}]}}"#,
        // Empty containers, and a null inside an array of strings' parent.
        #"{"metadata":{"name":"a","finalizers":[],"labels":{}},"spec":{"containers":[],"nodeSelector":{}},"status":{"conditions":[{"type":"Ready","status":"True","lastProbeTime":null,"lastTransitionTime":"2024-01-02T03:04:05Z"}]}}"#,
    ]

    @Test(arguments: awkward)
    func awkwardPodsReadAsDecoded(json: String) throws {
        let (read, decoded) = try Self.bothWays(CoreV1.Pod.self, Data(json.utf8))
        #expect(read == decoded)
    }

    /// Input the readers refuse goes to JSONDecoder, so its errors (and its leniencies) stay.
    @Test(arguments: [
        #"{"metadata":{"name":1}}"#,
        #"{"metadata":{"name":"a"},"spec":{"priority":1.5}}"#,
        #"{"metadata":{"name":"a"}} trailing"#,
        #"{"metadata":{"name":"a",}}"#,
        #"{"spec":{"priority":2147483648}}"#,
    ])
    func refusedInputFallsBackToJSONDecoder(json: String) {
        var reader = JSONReader(Array(json.utf8))
        let readerRefuses = (try? { () throws -> CoreV1.Pod in
            let pod = try CoreV1.Pod(json: &reader)
            try reader.finish()
            return pod
        }()) == nil
        #expect(readerRefuses)
        let viaDecode = Result { try CoreV1.Pod.decode(Array(json.utf8)) }
        let viaDecoder = Result { try JSONDecoder().decode(CoreV1.Pod.self, from: Data(json.utf8)) }
        switch (viaDecode, viaDecoder) {
        case (.success(let a), .success(let b)): #expect(a == b)
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)")
        default: Issue.record("decode and JSONDecoder disagree: \(viaDecode) vs \(viaDecoder)")
        }
    }

    @Test func readsTopLevelContainersAndScalars() throws {
        var reader = JSONReader(Array(#"[{"a":["x","y"]},{}]"#.utf8))
        let value = try [[String: [String]]](json: &reader)
        #expect(value == [["a": ["x", "y"]], [:]])
        var intOrStrings = JSONReader(Array(#"[1,"50%",-3]"#.utf8))
        #expect(try [IntOrString](json: &intOrStrings) == [.int(1), .string("50%"), .int(-3)])
    }
}
