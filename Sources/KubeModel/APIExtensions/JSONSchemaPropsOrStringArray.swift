extension ApiextensionsV1 {
    /// A `dependencies` entry: a schema, or the list of property names that become required.
    public indirect enum JSONSchemaPropsOrStringArray: KubeType {
        case schema(JSONSchemaProps)
        case strings([String])

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let strings = try? c.decode([String].self) {
                self = .strings(strings)
            } else {
                self = .schema(try c.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .schema(let s): try c.encode(s)
            case .strings(let a): try c.encode(a)
            }
        }
    }
}
