/// One sample of the Prometheus text exposition format: `name{label="value",…} value [timestamp]`.
public struct PrometheusSample: Sendable, Equatable {
    public var name: String
    public var labels: [String: String]
    public var value: Double
    /// Milliseconds since the epoch; nil when the line has none.
    public var timestampMillis: Int64?

    public init(name: String, labels: [String: String] = [:], value: Double, timestampMillis: Int64? = nil) {
        self.name = name
        self.labels = labels
        self.value = value
        self.timestampMillis = timestampMillis
    }
}

/// A parser for the Prometheus text format (version 0.0.4) as kubelet's `/metrics/resource`
/// writes it: `# HELP`/`# TYPE` and other comments are skipped, label values are unescaped
/// (`\\`, `\"`, `\n`), values are Go floats (`NaN`, `+Inf`, `-Inf` included).
public enum PrometheusText {
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    public static func parse(_ text: String) throws(ParseError) -> [PrometheusSample] {
        var samples: [PrometheusSample] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            if line.isEmpty || line.hasPrefix("#") || line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            do {
                samples.append(try sample(Array(line.utf8)))
            } catch let message {
                throw ParseError(line: lineNumber, message: message.text)
            }
        }
        return samples
    }

    struct Message: Error { var text: String }

    /// One sample line.
    static func sample(_ bytes: [UInt8]) throws(Message) -> PrometheusSample {
        var i = 0
        func isNameByte(_ b: UInt8, first: Bool) -> Bool {
            (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == 0x5F || b == 0x3A || (!first && b >= 0x30 && b <= 0x39)
        }
        func skipBlanks() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        let nameStart = i
        while i < bytes.count, isNameByte(bytes[i], first: i == nameStart) { i += 1 }
        guard i > nameStart else { throw Message(text: "expected a metric name") }
        let name = String(decoding: bytes[nameStart..<i], as: UTF8.self)
        var labels: [String: String] = [:]
        skipBlanks()
        if i < bytes.count, bytes[i] == UInt8(ascii: "{") {
            i += 1
            while true {
                skipBlanks()
                guard i < bytes.count else { throw Message(text: "unterminated label set") }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                let labelStart = i
                while i < bytes.count, isNameByte(bytes[i], first: i == labelStart) { i += 1 }
                guard i > labelStart else { throw Message(text: "expected a label name") }
                let label = String(decoding: bytes[labelStart..<i], as: UTF8.self)
                skipBlanks()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { throw Message(text: "expected = after label \(label)") }
                i += 1
                skipBlanks()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw Message(text: "expected a quoted value for label \(label)") }
                i += 1
                var value: [UInt8] = []
                var closed = false
                while i < bytes.count {
                    let b = bytes[i]
                    i += 1
                    if b == UInt8(ascii: "\"") { closed = true; break }
                    if b == UInt8(ascii: "\\"), i < bytes.count {
                        let escaped = bytes[i]
                        i += 1
                        switch escaped {
                        case UInt8(ascii: "n"): value.append(0x0A)
                        case UInt8(ascii: "\\"), UInt8(ascii: "\""): value.append(escaped)
                        default: value += [b, escaped]
                        }
                    } else {
                        value.append(b)
                    }
                }
                guard closed else { throw Message(text: "unterminated value of label \(label)") }
                labels[label] = String(decoding: value, as: UTF8.self)
                skipBlanks()
                if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1 }
            }
        }
        skipBlanks()
        var fields: [String] = []
        while i < bytes.count {
            let start = i
            while i < bytes.count, bytes[i] != 0x20, bytes[i] != 0x09, bytes[i] != 0x0D { i += 1 }
            if i > start { fields.append(String(decoding: bytes[start..<i], as: UTF8.self)) }
            while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0D { i += 1 }
        }
        guard let valueText = fields.first, let value = goFloat(valueText) else {
            throw Message(text: "expected a value for \(name)")
        }
        var timestamp: Int64?
        if fields.count >= 2 {
            guard let ts = Int64(fields[1]) else { throw Message(text: "invalid timestamp \"\(fields[1])\"") }
            timestamp = ts
        }
        guard fields.count <= 2 else { throw Message(text: "unexpected text after the timestamp") }
        return PrometheusSample(name: name, labels: labels, value: value, timestampMillis: timestamp)
    }

    /// A value as Go's `strconv.ParseFloat` reads it, with Prometheus' `+Inf`/`-Inf`/`NaN`.
    static func goFloat(_ text: String) -> Double? {
        switch text {
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        case "NaN": return .nan
        default: return Double(text)
        }
    }
}
