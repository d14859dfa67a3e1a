import KubeModel

/// The query of a list or watch (meta/v1 `ListOptions`).
public struct ListOptions: Sendable, Equatable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// "" (most recent, from storage), "0" (any, from the cache) or a specific version.
    public var resourceVersion: String?
    public var resourceVersionMatch: String?
    public var limit: Int?
    public var continueToken: String?
    public var timeoutSeconds: Int?
    public var allowWatchBookmarks: Bool?

    public init(labelSelector: String? = nil, fieldSelector: String? = nil, resourceVersion: String? = nil,
                resourceVersionMatch: String? = nil, limit: Int? = nil, continueToken: String? = nil,
                timeoutSeconds: Int? = nil, allowWatchBookmarks: Bool? = nil) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.limit = limit
        self.continueToken = continueToken
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
    }

    var query: [(String, String)] {
        var query: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { query.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { query.append(("fieldSelector", fieldSelector)) }
        if let resourceVersion { query.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { query.append(("resourceVersionMatch", resourceVersionMatch)) }
        if let limit { query.append(("limit", String(limit))) }
        if let continueToken, !continueToken.isEmpty { query.append(("continue", continueToken)) }
        if let timeoutSeconds { query.append(("timeoutSeconds", String(timeoutSeconds))) }
        if let allowWatchBookmarks { query.append(("allowWatchBookmarks", String(allowWatchBookmarks))) }
        return query
    }
}

/// A page of a list: the items and the list's metadata (resourceVersion, continue).
public struct ObjectList<Object: KubeObject>: Decodable, Sendable {
    public var metadata: MetaV1.ListMeta
    public var items: [Object]

    enum CodingKeys: String, CodingKey { case metadata, items }

    public init(metadata: MetaV1.ListMeta = MetaV1.ListMeta(), items: [Object]) {
        self.metadata = metadata
        self.items = items
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        metadata = try container.decodeIfPresent(MetaV1.ListMeta.self, forKey: .metadata) ?? MetaV1.ListMeta()
        items = try container.decodeIfPresent([Object].self, forKey: .items) ?? []
    }
}

extension ObjectList: JSONReadable {
    public init(json reader: inout JSONReader) throws(JSONParser.SyntaxError) {
        self.init(items: [])
        try reader.beginObject()
        var first = true
        while let key = try reader.nextKey(&first) {
            switch key {
            case "metadata": metadata = try reader.readIfPresent(MetaV1.ListMeta.self) ?? MetaV1.ListMeta()
            case "items": items = try reader.readIfPresent([Object].self) ?? []
            default: try reader.skipValue()
            }
        }
    }
}
