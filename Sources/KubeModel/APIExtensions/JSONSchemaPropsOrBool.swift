extension ApiextensionsV1 {
    /// `additionalProperties`/`additionalItems`: a boolean, or a schema (which implies `true`).
    public indirect enum JSONSchemaPropsOrBool: KubeType {
        case bool(Bool)
        case schema(JSONSchemaProps)

        public init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let b = try? c.decode(Bool.self) {
                self = .bool(b)
            } else {
                self = .schema(try c.decode(JSONSchemaProps.self))
            }
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .bool(let b): try c.encode(b)
            case .schema(let s): try c.encode(s)
            }
        }
    }
}
