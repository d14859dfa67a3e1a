import Foundation
import KubeModel

/// `kubectl get ingressclasses`: NAME CONTROLLER PARAMETERS AGE.
public struct IngressClassTableConvertor: TypedTableConvertor {
    public init() {}

    public var columns: [TableColumnDefinition] { Self.columnList }

    static let columnList: [TableColumnDefinition] = [
        Printers.name,
        Printers.column("Controller", "Controller that is responsible for handling this class"),
        Printers.column("Parameters", "A reference to a resource with additional parameters"),
        Printers.age,
    ]

    public func row(_ ingressClass: NetworkingV1.IngressClass, now: Date) -> [JSONValue] {
        var parameters = Printers.none
        if let reference = ingressClass.spec.parameters {
            parameters = reference.kind
            if let group = reference.apiGroup { parameters += "." + group }
            parameters += "/" + reference.name
        }
        return [
            .string(ingressClass.metadata.name ?? ""),
            .string(ingressClass.spec.controller ?? ""),
            .string(parameters),
            Printers.age(ingressClass, now: now),
        ]
    }
}
