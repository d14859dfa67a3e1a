/// Label selection (upstream `k8s.io/apimachinery/pkg/labels`).
///
/// The parsed, matchable selector is `Labels.Selector` (the name `LabelSelector` belongs to the API type
/// `MetaV1.LabelSelector`; convert one with `Labels.Selector(_:)`).
public enum Labels {
    /// A requirement's relation between a key and its values (upstream `selection.Operator`).
    public enum Operator: String, Sendable, Hashable, CaseIterable {
        case doesNotExist = "!"
        case equals = "="
        case doubleEquals = "=="
        case `in` = "in"
        case notEquals = "!="
        case notIn = "notin"
        case exists = "exists"
        case greaterThan = "gt"
        case lessThan = "lt"
    }

    /// A selector that failed to parse or validate; `message` is upstream's error text.
    public struct SelectorError: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        public init(_ message: String) { self.message = message }
        public var description: String { message }
    }
}

/// Go-compatible rendering of `field.Error`s, shared by label and field selectors.
enum GoFieldError {
    /// `<path>: Invalid value: "<value>": <detail>`.
    static func invalid(_ path: String, _ value: String, _ detail: String) -> String {
        "\(path): Invalid value: \(quote(value)): \(detail)"
    }

    /// `<path>: Invalid value: []string{"a", "b"}: <detail>`.
    static func invalid(_ path: String, _ values: [String], _ detail: String) -> String {
        "\(path): Invalid value: []string{\(values.map(quote).joined(separator: ", "))}: \(detail)"
    }

    /// upstream `utilerrors.Aggregate.Error()`.
    static func aggregate(_ messages: [String]) -> String {
        messages.count == 1 ? messages[0] : "[" + messages.joined(separator: ", ") + "]"
    }

    /// Go `strconv.Quote`.
    static func quote(_ s: String) -> String { GoSyntax.quoted(s) }
}
