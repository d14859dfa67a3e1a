import Foundation
import KubeModel
import KubeStore
import Synchronization

/// One stored object as the watch cache and list responses hold it: the stored bytes and the
/// revision its `resourceVersion` reports, with the decoded object and its response JSON made
/// at most once and shared by every list and watcher that serves it.
///
/// Both memos are keyed by the Swift type they were made for, because two versions of one
/// resource (autoscaling/v1 and v2 HorizontalPodAutoscalers) share a storage prefix.
public final class CachedObject: Sendable {
    public let key: String
    /// The stored JSON (without `metadata.resourceVersion`).
    public let value: [UInt8]
    /// The object's `resourceVersion`: its modRevision, or the revision of the event that
    /// deleted it for the previous object of a deletion.
    public let revision: Revision

    private struct Memo {
        var type: ObjectIdentifier?
        var object: (any KubeObject)?
        var json: Data?
        var attributes: SelectableAttributes?
    }
    private let memo: Mutex<Memo>

    public init(key: String, value: [UInt8], revision: Revision) {
        self.key = key
        self.value = value
        self.revision = revision
        memo = Mutex(Memo())
    }

    /// Wraps an object that is already decoded (lists read from the store, deletecollection).
    public init(object: any KubeObject) {
        key = ""
        value = []
        revision = Revision(object.metadata.resourceVersion ?? "") ?? 0
        memo = Mutex(Memo(type: ObjectIdentifier(type(of: object)), object: object))
    }

    convenience init(_ kv: KeyValue) {
        self.init(key: kv.key, value: kv.value, revision: kv.modRevision)
    }

    /// The same stored bytes reported at another revision (the previous object of an event),
    /// with the labels and selectable fields already read from them: watches with selectors
    /// test the previous object of every event.
    func reported(at revision: Revision) -> CachedObject {
        let copy = CachedObject(key: key, value: value, revision: revision)
        let (type, attributes) = memo.withLock { ($0.type, $0.attributes) }
        if let type, let attributes { copy.memo.withLock { $0 = Memo(type: type, attributes: attributes) } }
        return copy
    }

    /// The object decoded as `resource`'s kind, with `resourceVersion`, `apiVersion` and `kind` set.
    public func object(as resource: KubeResource) throws -> any KubeObject {
        let wanted = ObjectIdentifier(resource.type)
        if let object = memo.withLock({ $0.type == wanted ? $0.object : nil }) { return object }
        let object = try ResourceRegistry.decodeStored(value, revision: revision, as: resource)
        memo.withLock { memo in
            if memo.type != wanted { memo = Memo(type: wanted) }
            if memo.object == nil { memo.object = object }
        }
        return object
    }

    /// Takes `object` as the decoded form of the stored bytes (the writer's copy, which those
    /// bytes were encoded from), unless one is memoised already.
    func adopt(_ object: any KubeObject) {
        let type = ObjectIdentifier(Swift.type(of: object))
        memo.withLock { memo in
            if memo.type == nil { memo.type = type }
            if memo.type == type, memo.object == nil { memo.object = object }
        }
    }

    /// The decoded object, if it was made or handed over already.
    var decodedObject: (any KubeObject)? { memo.withLock { $0.object } }

    /// The object's labels and selectable fields as `resource`'s kind, made at most once: from
    /// the decoded object when it is at hand and its kind has typed accessors, else read from
    /// the stored bytes along `paths` (``SelectableAttributes/paths(for:)``); nil for an object
    /// held only decoded.
    func attributes(as resource: KubeResource, paths: StoredFieldPaths) -> SelectableAttributes? {
        guard !value.isEmpty else { return nil }
        let wanted = ObjectIdentifier(resource.type)
        let (known, decoded) = memo.withLock { memo in
            memo.type == wanted ? (memo.attributes, memo.object) : (nil, nil)
        }
        if let known { return known }
        guard let attributes = decoded.flatMap({ SelectableAttributes(typed: $0, resource: resource) })
            ?? SelectableAttributes(stored: value, resource: resource, paths: paths) else { return nil }
        memo.withLock { memo in
            if memo.type != wanted { memo = Memo(type: wanted) }
            if memo.attributes == nil { memo.attributes = attributes }
        }
        return attributes
    }

    /// The object's response JSON (`ResponseRenderer.objectJSON`).
    public func json(as resource: KubeResource) throws -> Data {
        let wanted = ObjectIdentifier(resource.type)
        if let json = memo.withLock({ $0.type == wanted ? $0.json : nil }) { return json }
        let json = try StoredJSONSplicer.responseJSON(value, revision: revision, apiVersion: resource.apiVersion, kind: resource.kind)
            ?? ResponseRenderer.objectJSON(object(as: resource))
        memo.withLock { memo in
            if memo.type != wanted { memo = Memo(type: wanted) }
            if memo.json == nil { memo.json = json }
        }
        return json
    }
}
