import KubeModel

extension FieldSet {
    /// The fields `object` sets, as managedFields records them (upstream `TypedValue.ToFieldSet`
    /// followed by the field manager's filters):
    ///
    /// - scalars, atomic lists and atomic maps are leaves; untyped lists too, and fields the
    ///   schema does not declare;
    /// - entries of maps and elements of associative lists (`k:{…}`) and sets (`v:…`) are
    ///   members even when they have fields of their own (FieldsV1's `"."`); declared fields of
    ///   objects are only members when null or `{}`;
    /// - `apiVersion`, `kind`, `metadata.name`, `.namespace`, `.uid`, `.resourceVersion`,
    ///   `.generation`, `.creationTimestamp`, `.selfLink`, `.managedFields` are never recorded
    ///   (upstream's strip set), nor the fields the request's strategy resets (see
    ///   ``ResetFields``): `status` of the main resource when the kind has a status subresource,
    ///   `spec` (and a few metadata fields) of `/status`.
    public static func of(object: JSONValue, schema: APISchema = .builtIn, gvk: GroupVersionKind,
                          subresource: String? = nil) throws(ApplyError) -> FieldSet {
        let types = ApplySchema(schema)
        let raw: FieldSet
        do {
            raw = try types.fieldSet(of: object, type: types.rootType(gvk), rejectDuplicates: false)
        } catch {
            throw .invalidObject("failed to create typed object (\(gvk)): \(error.message)")
        }
        return raw.subtracting(ManagedFields.strippedFields)
            .recursiveDifference(ResetFields.fields(for: gvk, subresource: subresource))
    }
}

extension ApplySchema {
    /// Upstream's `ToFieldSet` walk, without any filtering. Duplicate list keys are an error when
    /// `rejectDuplicates` (applied configurations); in live objects the first element wins.
    func fieldSet(of value: JSONValue, type: ApplyType, rejectDuplicates: Bool) throws(ApplyPathError) -> FieldSet {
        var set = FieldSet()
        try collect(value, type, [], rejectDuplicates, into: &set)
        return set
    }

    private func collect(_ value: JSONValue, _ type: ApplyType, _ path: [PathElement], _ rejectDuplicates: Bool,
                         into set: inout FieldSet) throws(ApplyPathError) {
        switch shape(type, for: value) {
        case .leaf:
            set.insert(FieldPath(path))
        case .object(let object):
            guard case .object(let members) = value else {
                // A null map owns nothing below it; its parent owns the null. A value of another
                // kind than the schema's is owned whole.
                if value != .null { set.insert(FieldPath(path)) }
                return
            }
            for (key, child) in members {
                let childPath = path + [.field(key)]
                try collect(child, object.type(of: key), childPath, rejectDuplicates, into: &set)
                if child == .null || child == .object([:]) || !object.declares(key) {
                    set.insert(FieldPath(childPath))
                }
            }
        case .list(let list):
            guard case .array(let items) = value else {
                if value != .null { set.insert(FieldPath(path)) }
                return
            }
            var seen: Set<PathElement> = []
            for (index, item) in items.enumerated() {
                let element: PathElement
                switch pathElement(of: item, in: list, at: index) {
                case .success(let found): element = found
                case .failure(let error): throw error.at(FieldPath(path))
                }
                if !seen.insert(element).inserted {
                    if rejectDuplicates {
                        throw ApplyPathError("duplicate entries for key \(element)").at(FieldPath(path))
                    }
                    continue
                }
                let childPath = path + [element]
                try collect(item, list.element, childPath, rejectDuplicates, into: &set)
                set.insert(FieldPath(childPath))
            }
        }
    }
}
