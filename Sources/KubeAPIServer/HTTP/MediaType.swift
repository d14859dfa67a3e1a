/// One media range of an `Accept` or `Content-Type` header: `application/json;as=Table;v=v1;g=meta.k8s.io`.
public struct MediaType: Equatable, Sendable {
    /// `type/subtype`, lower-cased.
    public var essence: String
    /// Parameters with lower-cased names.
    public var parameters: [String: String]

    public init(_ text: some StringProtocol) {
        let parts = text.split(separator: ";").map { Self.trimmed($0, of: Self.whitespace) }
        essence = (parts.first ?? "").lowercased()
        var parameters: [String: String] = [:]
        for part in parts.dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1).map { Self.trimmed($0, of: Self.whitespace) }
            guard pair.count == 2 else { continue }
            parameters[pair[0].lowercased()] = String(Self.trimmed(pair[1], of: [UInt8(ascii: "\"")]))
        }
        self.parameters = parameters
    }

    /// A `Content-Type` header parsed; the few that clients send are remembered.
    public static func contentType(_ header: String) -> MediaType {
        parsedContentTypes.value(for: header) { MediaType($0) }
    }

    private static let parsedContentTypes = BoundedMemo<String, MediaType>(capacity: 256)

    /// HTTP's optional whitespace.
    private static let whitespace: [UInt8] = [UInt8(ascii: " "), UInt8(ascii: "\t")]

    /// `text` without the given ASCII bytes at either end.
    private static func trimmed(_ text: some StringProtocol, of bytes: [UInt8]) -> Substring {
        let all = Substring(text)
        var start = all.utf8.startIndex, end = all.utf8.endIndex
        while start < end, bytes.contains(all.utf8[start]) { start = all.utf8.index(after: start) }
        while end > start, bytes.contains(all.utf8[all.utf8.index(before: end)]) { end = all.utf8.index(before: end) }
        return all[start..<end]
    }

    /// The media ranges of an `Accept` header, in the client's order (q=0 ranges dropped).
    /// Clients send the same few headers on every request: parsed ones are remembered.
    public static func acceptList(_ header: String?) -> [MediaType] {
        guard let header else { return [] }
        return parsedAcceptHeaders.value(for: header) { header in
            guard !trimmed(header, of: whitespace).isEmpty else { return [] }
            return header.split(separator: ",").map(MediaType.init).filter { $0.parameters["q"] != "0" && !$0.essence.isEmpty }
        }
    }

    private static let parsedAcceptHeaders = BoundedMemo<String, [MediaType]>(capacity: 256)

    public var matchesJSON: Bool { ["application/json", "application/*", "*/*"].contains(essence) }
}


/// What a response is rendered as, negotiated from `Accept`.
public enum ResponseFormat: Equatable, Sendable {
    case json
    case yaml
    /// `meta.k8s.io/v1` `Table` (`as=Table`); `includeObject` from `includeObject=None|Metadata|Object`.
    case table
    /// `apidiscovery.k8s.io/v2` `APIGroupDiscoveryList`.
    case aggregatedDiscovery

    /// The first acceptable format in the client's order; `.json` when there is no Accept;
    /// nil when nothing offered is acceptable (→ 406). Tables and aggregated discovery are only
    /// chosen where `allowTable`/`allowDiscovery` say the endpoint offers them.
    public static func negotiate(accept: String?, allowTable: Bool = false, allowDiscovery: Bool = false) -> ResponseFormat? {
        let ranges = MediaType.acceptList(accept)
        if ranges.isEmpty { return .json }
        for range in ranges {
            if let kind = range.parameters["as"] {
                if range.essence == "application/json" {
                    if kind == "Table" && allowTable && ["v1", "v1beta1"].contains(range.parameters["v"] ?? "v1") { return .table }
                    if kind == "APIGroupDiscoveryList" && allowDiscovery && range.parameters["v"] == "v2" {
                        return .aggregatedDiscovery
                    }
                }
                continue
            }
            if range.matchesJSON { return .json }
            if range.essence == "application/yaml" { return .yaml }
        }
        return nil
    }
}
