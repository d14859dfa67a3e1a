import KubeModel

/// Parses the flags that shape hollow nodes, with the syntax of kubelet's `--node-labels` and
/// `--register-with-taints` (and `kubectl taint`): `k=v,k2=v2` and `key=value:Effect,key:Effect`.
public enum HollowNodeFlags {
    /// A flag's value that does not parse; the description says what is wrong and what is expected.
    public struct InvalidValue: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    public static let taintEffects = ["NoSchedule", "PreferNoSchedule", "NoExecute"]

    /// `k=v,k2=v2` (empty: no labels). Keys are qualified names, values label values.
    public static func labels(_ text: String) throws(InvalidValue) -> [String: String] {
        var labels: [String: String] = [:]
        for item in items(text) {
            guard let equals = item.firstIndex(of: "=") else {
                throw InvalidValue("invalid label \"\(item)\": expected key=value")
            }
            let key = String(item[..<equals]), value = String(item[item.index(after: equals)...])
            try checkKey(key, in: "label \"\(item)\"")
            if let problem = NameValidation.isValidLabelValue(value).first {
                throw InvalidValue("invalid label \"\(item)\": value \(problem)")
            }
            guard labels.updateValue(value, forKey: key) == nil else {
                throw InvalidValue("label key \"\(key)\" given twice")
            }
        }
        return labels
    }

    /// `key=value:Effect,key:Effect` (empty: no taints).
    public static func taints(_ text: String) throws(InvalidValue) -> [CoreV1.Taint] {
        var taints: [CoreV1.Taint] = []
        for item in items(text) {
            let taint = try taint(item)
            guard !taints.contains(where: { $0.key == taint.key && $0.effect == taint.effect }) else {
                throw InvalidValue("taint \"\(taint.key):\(taint.effect)\" given twice")
            }
            taints.append(taint)
        }
        return taints
    }

    /// One taint: `key=value:Effect` or `key:Effect`.
    public static func taint(_ text: String) throws(InvalidValue) -> CoreV1.Taint {
        guard let colon = text.lastIndex(of: ":") else {
            throw InvalidValue("invalid taint \"\(text)\": expected key=value:Effect or key:Effect")
        }
        let effect = String(text[text.index(after: colon)...])
        guard taintEffects.contains(effect) else {
            throw InvalidValue("invalid taint \"\(text)\": the effect must be one of \(taintEffects.joined(separator: ", "))")
        }
        let keyValue = text[..<colon]
        var key = String(keyValue), value: String?
        if let equals = keyValue.firstIndex(of: "=") {
            key = String(keyValue[..<equals])
            value = String(keyValue[keyValue.index(after: equals)...])
        }
        try checkKey(key, in: "taint \"\(text)\"")
        if let value, let problem = NameValidation.isValidLabelValue(value).first {
            throw InvalidValue("invalid taint \"\(text)\": value \(problem)")
        }
        return CoreV1.Taint(effect: effect, key: key, value: value.flatMap { $0.isEmpty ? nil : $0 })
    }

    /// A non-negative quantity (`8`, `500m`, `32Gi`), for the flag named `flag`.
    public static func quantity(_ text: String, flag: String) throws(InvalidValue) -> Quantity {
        let quantity: Quantity
        do {
            quantity = try Quantity(parsing: text)
        } catch {
            throw InvalidValue("--\(flag): \"\(text)\" is not a quantity (e.g. 8, 500m, 32Gi): \(error)")
        }
        guard quantity.sign >= 0 else { throw InvalidValue("--\(flag): \"\(text)\" must not be negative") }
        return quantity
    }

    private static func items(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
    }

    private static func checkKey(_ key: String, in what: String) throws(InvalidValue) {
        if let problem = NameValidation.isQualifiedName(key).first {
            throw InvalidValue("invalid \(what): key \(problem)")
        }
    }
}

extension Substring {
    fileprivate func trimmingWhitespace() -> String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
