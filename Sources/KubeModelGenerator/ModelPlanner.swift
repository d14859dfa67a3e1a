/// Turns the schema's definitions into a `ModelPlan`: which types, which properties, which
/// are optional, which must be boxed to break recursion.
struct ModelPlanner {
    let definitions: [String: Schema]

    func plan() throws -> ModelPlan {
        let selected = selectDefinitions()
        let recursive = recursiveEdges(among: selected)
        var decls: [ModelPlan.TypeDecl] = []
        for def in selected.sorted() {
            guard let schema = definitions[def] else { continue }
            decls.append(try typeDecl(def, schema, recursive: recursive))
        }
        let objectTypes = Set(decls.compactMap { d -> String? in
            if case .object = d.conformance { return d.qualifiedName }
            return nil
        })
        decls = decls.map { d in
            guard let gvk = singleGVK(definitions[d.definition]!), d.name.hasSuffix("List"),
                  d.properties.contains(where: { $0.jsonName == "metadata" && $0.swiftType == "MetaV1.ListMeta" && $0.defaultValue != nil }),
                  let items = d.properties.first(where: { $0.jsonName == "items" }),
                  items.swiftType.hasPrefix("["), items.defaultValue != nil
            else { return d }
            let item = String(items.swiftType.dropFirst().dropLast())
            guard objectTypes.contains(item) else { return d }
            return .init(definition: d.definition, namespace: d.namespace, name: d.name,
                         properties: d.properties, conformance: .list(gvk, item: item))
        }
        return ModelPlan(types: decls)
    }

    /// Every definition of the generated groups, plus what they reference, minus hand-written ones.
    private func selectDefinitions() -> Set<String> {
        var selected = Set<String>()
        var queue = definitions.keys.filter { name in
            TypeNaming.generatedPrefixes.contains { name.hasPrefix($0) }
        }
        while let name = queue.popLast() {
            guard TypeNaming.handWritten[name] == nil, !selected.contains(name),
                  let schema = definitions[name] else { continue }
            selected.insert(name)
            for ref in references(of: schema) { queue.append(ref) }
        }
        return selected
    }

    private func references(of schema: Schema) -> [String] {
        var refs: [String] = []
        if let r = schema.refName { refs.append(r) }
        for (_, p) in schema.properties ?? [:] { refs += references(of: p) }
        if let i = schema.items { refs += references(of: i) }
        if let a = schema.additionalProperties { refs += references(of: a) }
        return refs
    }

    /// Direct (non-collection) references between generated types: `A.p: B?`.
    private func directEdges(_ def: String) -> [(property: String, target: String)] {
        guard let props = definitions[def]?.properties else { return [] }
        return props.compactMap { key, p in
            guard let r = p.refName, TypeNaming.handWritten[r] == nil else { return nil }
            return (key, r)
        }
    }

    /// Properties (as "Def.prop") whose inline storage would make a type contain itself.
    private func recursiveEdges(among selected: Set<String>) -> Set<String> {
        var result = Set<String>()
        for def in selected {
            for (prop, target) in directEdges(def) where reaches(from: target, to: def) {
                result.insert("\(def).\(prop)")
            }
        }
        return result
    }

    private func reaches(from start: String, to goal: String) -> Bool {
        var seen = Set<String>()
        var stack = [start]
        while let n = stack.popLast() {
            if n == goal { return true }
            guard seen.insert(n).inserted else { continue }
            stack += directEdges(n).map(\.target)
        }
        return false
    }

    private func singleGVK(_ schema: Schema) -> SchemaGVK? {
        guard let g = schema.groupVersionKinds, g.count == 1 else { return nil }
        return g[0]
    }

    private func typeDecl(_ def: String, _ schema: Schema, recursive: Set<String>) throws -> ModelPlan.TypeDecl {
        let gvk = singleGVK(schema)
        let required = Set(schema.required ?? [])
        var props: [ModelPlan.Property] = []
        for key in (schema.properties ?? [:]).keys.sorted() {
            let p = schema.properties![key]!
            let swiftType = try self.swiftType(p, context: "\(def).\(key)")
            let boxed = recursive.contains("\(def).\(key)")
            // Kinds always carry metadata, spec and status, as upstream's struct values do.
            let alwaysPresent = gvk != nil && ["metadata", "spec", "status"].contains(key)
                && p.refName.map { TypeNaming.handWritten[$0] == nil } == true
            var defaultValue: String? = nil
            if (required.contains(key) || alwaysPresent) && !boxed {
                defaultValue = zeroValue(for: p, swiftType: swiftType)
            }
            props.append(.init(jsonName: key, swiftName: TypeNaming.propertyName(key),
                               swiftType: swiftType, defaultValue: defaultValue, boxed: boxed))
        }
        let conformance: ModelPlan.Conformance
        if let gvk, props.contains(where: { $0.jsonName == "metadata" && $0.swiftType == "MetaV1.ObjectMeta" }),
           props.contains(where: { $0.jsonName == "apiVersion" }), props.contains(where: { $0.jsonName == "kind" }) {
            conformance = .object(gvk)
        } else {
            conformance = .none
        }
        let name = def == "io.k8s.apimachinery.pkg.version.Info" ? "VersionInfo" : TypeNaming.shortName(ofDefinition: def)
        let ns = def == "io.k8s.apimachinery.pkg.version.Info" ? nil : TypeNaming.namespace(ofDefinition: def)
        return .init(definition: def, namespace: ns, name: name, properties: props, conformance: conformance)
    }

    func swiftType(_ p: Schema, context: String) throws -> String {
        if let r = p.refName { return TypeNaming.swiftType(ofDefinition: r) }
        switch p.type {
        case "string": return "String"
        case "boolean": return "Bool"
        case "number": return "Double"
        case "integer": return p.format == "int32" ? "Int32" : "Int64"
        case "array":
            guard let items = p.items else { throw GeneratorError.unsupported(context, "array without items") }
            return "[\(try swiftType(items, context: context))]"
        case "object":
            if let a = p.additionalProperties { return "[String: \(try swiftType(a, context: context))]" }
            return "JSONValue"
        default:
            throw GeneratorError.unsupported(context, "type \(p.type ?? "nil")")
        }
    }

    /// The zero value of a required field, like Go's zero value; nil keeps it optional.
    private func zeroValue(for p: Schema, swiftType: String) -> String? {
        if let r = p.refName { return TypeNaming.handWritten[r] == nil ? "\(swiftType)()" : nil }
        switch swiftType {
        case "String": return "\"\""
        case "Bool": return "false"
        case "Int32", "Int64", "Double": return "0"
        default:
            if swiftType.hasPrefix("[String:") { return "[:]" }
            if swiftType.hasPrefix("[") { return "[]" }
            return nil
        }
    }
}

public enum GeneratorError: Error, CustomStringConvertible {
    case unsupported(String, String)
    case nameCollision(String)
    case unembeddableSchema

    public var description: String {
        switch self {
        case .unsupported(let where_, let what): "unsupported schema at \(where_): \(what)"
        case .nameCollision(let name): "generated type name collides with a Swift type: \(name)"
        case .unembeddableSchema: "the schema must be one line of JSON without a raw-string terminator"
        }
    }
}
