/// A field path as upstream prints it in validation errors: `spec.containers[0].image`,
/// `metadata.labels[app]`.
public struct ValidationPath: Sendable, Hashable, CustomStringConvertible {
    public private(set) var description: String

    public init(_ root: String) { description = root }

    public func child(_ name: String) -> ValidationPath {
        ValidationPath(description.isEmpty ? name : "\(description).\(name)")
    }

    public func index(_ i: Int) -> ValidationPath { ValidationPath("\(description)[\(i)]") }

    public func key(_ key: String) -> ValidationPath { ValidationPath("\(description)[\(key)]") }
}

extension APIError.FieldCause {
    static func required(_ path: ValidationPath, _ detail: String = "") -> Self { .required(path.description, detail) }

    static func invalid(_ path: ValidationPath, _ value: String, _ detail: String) -> Self {
        .invalid(path.description, value: value, detail)
    }

    /// An invalid structured value, already rendered as upstream prints it (`map[string]string{…}`).
    static func invalid(_ path: ValidationPath, rendered value: String, _ detail: String) -> Self {
        Self(reason: "FieldValueInvalid", field: path.description, message: "Invalid value: \(value): \(detail)")
    }

    /// An invalid numeric value, printed without quotes as upstream does.
    static func invalid(_ path: ValidationPath, _ value: Int64, _ detail: String) -> Self {
        Self(reason: "FieldValueInvalid", field: path.description, message: "Invalid value: \(value): \(detail)")
    }

    static func notSupported(_ path: ValidationPath, _ value: String, _ supported: [String]) -> Self {
        .notSupported(path.description, value: value, supported: supported)
    }

    static func forbidden(_ path: ValidationPath, _ detail: String) -> Self { .forbidden(path.description, detail) }

    static func duplicate(_ path: ValidationPath, _ value: String) -> Self { .duplicate(path.description, value: value) }

    /// Upstream's message for a change to an immutable field (`value` already rendered).
    static func immutable(_ path: ValidationPath, _ value: String) -> Self {
        Self(reason: "FieldValueInvalid", field: path.description, message: "Invalid value: \(value): field is immutable")
    }

    static func tooLong(_ path: ValidationPath, max: Int) -> Self {
        Self(reason: "FieldValueTooLong", field: path.description, message: "Too long: may not be more than \(max) bytes")
    }
}
