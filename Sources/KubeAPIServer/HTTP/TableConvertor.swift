import Foundation
import KubeModel

/// One column of a `meta.k8s.io/v1` `Table`.
public struct TableColumnDefinition: Codable, Sendable, Equatable {
    public var name: String
    /// `string`, `integer`, `number`, `boolean`, `date`.
    public var type: String
    /// `name` for the name column, else usually empty.
    public var format: String
    public var description: String
    /// 0: always shown; > 0: only with `-o wide`.
    public var priority: Int

    public init(name: String, type: String, format: String = "", description: String, priority: Int = 0) {
        self.name = name
        self.type = type
        self.format = format
        self.description = description
        self.priority = priority
    }
}

/// Turns objects of one resource into table rows (upstream's `rest.TableConvertor`). Per-kind
/// convertors (pods' READY/STATUS/RESTARTS…) register in `TableConvertors`; every other
/// resource gets `DefaultTableConvertor` (NAME, AGE).
public protocol TableConvertor: Sendable {
    var columns: [TableColumnDefinition] { get }
    /// One cell per column, in order.
    func cells(for object: any KubeObject, now: Date) -> [JSONValue]
}

/// NAME and AGE, as upstream prints a resource without its own columns.
public struct DefaultTableConvertor: TableConvertor {
    public init() {}

    public static let nameColumn = TableColumnDefinition(
        name: "Name", type: "string", format: "name",
        description: "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names")
    public static let ageColumn = TableColumnDefinition(
        name: "Age", type: "string",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.")

    public var columns: [TableColumnDefinition] { [Self.nameColumn, Self.ageColumn] }

    public func cells(for object: any KubeObject, now: Date) -> [JSONValue] {
        [.string(object.metadata.name ?? ""), .string(Self.age(of: object, now: now))]
    }

    public static func age(of object: any KubeObject, now: Date) -> String {
        HumanDuration.age(since: object.metadata.creationTimestamp?.date, now: now)
    }
}

/// The table convertor of each resource; `register` adds per-kind columns.
public struct TableConvertors: Sendable {
    private var byResource: [String: any TableConvertor] = [:]
    public var fallback: any TableConvertor = DefaultTableConvertor()

    public init() {}

    /// `resource` as `GroupResource` text: `pods`, `deployments.apps`.
    public mutating func register(_ convertor: any TableConvertor, for groupResource: String) {
        byResource[groupResource] = convertor
    }

    public func convertor(for resource: KubeResource) -> any TableConvertor {
        byResource[resource.groupResource] ?? fallback
    }
}
