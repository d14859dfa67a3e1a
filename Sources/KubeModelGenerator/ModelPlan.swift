/// What the generator will write: the types selected from the schema and their properties.
struct ModelPlan {
    struct Property {
        let jsonName: String
        let swiftName: String
        /// The Swift type without optionality, e.g. `[CoreV1.Container]`.
        let swiftType: String
        /// Non-nil for non-optional properties: the value used when the field is absent.
        let defaultValue: String?
        /// Stored in a `Box` because the type contains itself through this property.
        let boxed: Bool
    }

    enum Conformance {
        case none
        case object(SchemaGVK)
        case list(SchemaGVK, item: String)
    }

    struct TypeDecl {
        let definition: String
        let namespace: String?
        let name: String
        let properties: [Property]
        let conformance: Conformance

        var qualifiedName: String { namespace.map { "\($0).\(name)" } ?? name }
    }

    let types: [TypeDecl]

    var namespaces: [String] { Array(Set(types.compactMap(\.namespace))).sorted() }
}
