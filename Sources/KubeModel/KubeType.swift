/// Every API type: a JSON-serialisable value with upstream wire fidelity.
public protocol KubeType: Codable, Sendable, Equatable, JSONReadable, JSONTreeWritable, JSONWritable {}

/// A top-level API object (a *kind* with `metadata: ObjectMeta`), e.g. `CoreV1.Pod`.
public protocol KubeObject: KubeType {
    /// The group/version/kind this Swift type serialises as.
    static var groupVersionKind: GroupVersionKind { get }
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: MetaV1.ObjectMeta { get set }
    /// The JSON of the top-level members whose values differ between `self` and `other` (each
    /// side's own; a member a side does not have is left out of its tree). Members that are
    /// equal are in neither tree, so a field-by-field comparison of the two trees finds exactly
    /// what a comparison of the whole objects finds, without building the rest. `metadata` is
    /// compared without its `managedFields`.
    func jsonValues(ofMembersDifferingFrom other: Self) throws(EncodingError) -> (mine: JSONValue, other: JSONValue)
}

extension KubeObject {
    /// Both whole objects (kinds without a generated member comparison).
    public func jsonValues(ofMembersDifferingFrom other: Self) throws(EncodingError) -> (mine: JSONValue, other: JSONValue) {
        (try jsonValue(), try other.jsonValue())
    }
}

/// A kind with a `status`: the part its `status` subresource writes, which a status update
/// takes whole from the request (the rest comes from the stored object).
public protocol KubeObjectWithStatus: KubeObject {
    associatedtype Status
    var status: Status { get set }
}

/// A list kind (`metadata: ListMeta`, `items: [Item]`), e.g. `CoreV1.PodList`.
public protocol KubeList: KubeType {
    associatedtype Item: KubeObject
    static var groupVersionKind: GroupVersionKind { get }
    var apiVersion: String? { get set }
    var kind: String? { get set }
    var metadata: MetaV1.ListMeta { get set }
    var items: [Item] { get set }
}

/// Group, version and kind of an API type (`apps`, `v1`, `Deployment`; the core group is "").
public struct GroupVersionKind: Hashable, Sendable, CustomStringConvertible {
    public var group: String
    public var version: String
    public var kind: String

    public init(group: String, version: String, kind: String) {
        self.group = group
        self.version = version
        self.kind = kind
    }

    /// `apiVersion` as written in manifests: `v1` for the core group, else `group/version`.
    public var apiVersion: String { group.isEmpty ? version : "\(group)/\(version)" }

    public var description: String { "\(apiVersion), Kind=\(kind)" }
}

extension KubeObject {
    /// Sets `apiVersion` and `kind` from the type, as the API server does on every response.
    public mutating func setTypeMeta() {
        apiVersion = Self.groupVersionKind.apiVersion
        kind = Self.groupVersionKind.kind
    }
}
