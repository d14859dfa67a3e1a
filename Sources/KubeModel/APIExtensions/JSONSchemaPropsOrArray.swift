extension ApiextensionsV1 {
    /// `items` of a JSON schema: one schema for every element, or one schema per position.
    public indirect enum JSONSchemaPropsOrArray: KubeType {
        case schema(JSONSchemaProps)
        case array([JSONSchemaProps])

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let array = try? c.decode([JSONSchemaProps].self) {
                self = .array(array)
            } else {
                self = .schema(try c.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .schema(let s): try c.encode(s)
            case .array(let a): try c.encode(a)
            }
        }
    }
}
