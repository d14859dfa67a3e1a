import Foundation

/// Static bearer tokens from upstream's `--token-auth-file` format: one CSV line per token,
/// `token,user,uid[,"group1,group2"]`; blank lines and lines starting with `#` are skipped.
public struct TokenFile: Sendable, Equatable {
    public private(set) var users: [String: UserInfo] = [:]

    public init(users: [String: UserInfo] = [:]) {
        self.users = users
    }

    public init(contentsOf url: URL) throws {
        try self.init(parsing: String(contentsOf: url, encoding: .utf8), source: url.path)
    }

    public struct ParseError: Error, CustomStringConvertible, Equatable {
        public var source: String
        public var line: Int
        public var reason: String
        public var description: String { "\(source):\(line): \(reason)" }
    }

    public init(parsing text: String, source: String = "token file") throws {
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = Self.csvFields(line)
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty else {
                throw ParseError(source: source, line: index + 1, reason: "expected token,user,uid[,\"groups\"]")
            }
            let groups = fields.count > 3
                ? fields[3].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                : []
            users[fields[0]] = UserInfo(name: fields[1], uid: fields[2], groups: groups)
        }
    }

    /// The user of a bearer token, nil when unknown.
    public func user(forToken token: String) -> UserInfo? { users[token] }

    /// Splits one CSV record; double quotes group commas, `""` is a literal quote.
    static func csvFields(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var chars = Array(line)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { current.append("\""); chars.removeFirst() } else { quoted = false }
                } else {
                    current.append(c)
                }
            } else if c == "\"" {
                quoted = true
            } else if c == "," {
                fields.append(current)
                current = ""
            } else {
                current.append(c)
            }
        }
        fields.append(current)
        return fields
    }
}
