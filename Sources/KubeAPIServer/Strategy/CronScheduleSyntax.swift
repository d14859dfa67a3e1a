import Foundation

/// The syntax of a CronJob schedule as upstream's parser (robfig/cron, standard five fields)
/// accepts it: `*/5 * * * *`, `0 3 * * 1-5`, `@hourly`, `@every 1h30m`, optional `TZ=…` prefix
/// (which upstream rejects in favour of `spec.timeZone`).
enum CronScheduleSyntax {
    static let descriptors: Set<String> = ["@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly"]
    /// (field name, minimum, maximum, names allowed in place of numbers)
    static let fields: [(String, Int, Int, [String])] = [
        ("minute", 0, 59, []), ("hour", 0, 23, []), ("day of month", 1, 31, []),
        ("month", 1, 12, ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        ("day of week", 0, 7, ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    /// nil when valid, else upstream-like text of the problem.
    static func problem(in schedule: String) -> String? {
        let trimmed = schedule.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("TZ=") || trimmed.hasPrefix("CRON_TZ=") {
            return "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
        }
        if trimmed.hasPrefix("@") {
            if descriptors.contains(trimmed.lowercased()) { return nil }
            if trimmed.hasPrefix("@every ") { return nil }
            return "unrecognized descriptor: \(trimmed)"
        }
        let parts = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        guard parts.count == 5 else { return "expected exactly 5 fields, found \(parts.count): [\(parts.joined(separator: " "))]" }
        for (part, field) in zip(parts, fields) {
            if let problem = fieldProblem(part, min: field.1, max: field.2, names: field.3) { return problem }
        }
        return nil
    }

    static func fieldProblem(_ text: String, min: Int, max: Int, names: [String]) -> String? {
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let rangeAndStep = item.split(separator: "/", omittingEmptySubsequences: false)
            guard rangeAndStep.count <= 2 else { return "too many slashes: \(item)" }
            if rangeAndStep.count == 2, Int(rangeAndStep[1]) == nil || Int(rangeAndStep[1])! <= 0 {
                return "failed to parse int from \(rangeAndStep[1])"
            }
            let range = rangeAndStep[0]
            if range == "*" || range == "?" { continue }
            let bounds = range.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else { return "too many hyphens: \(range)" }
            var values: [Int] = []
            for bound in bounds {
                if let n = Int(bound) {
                    values.append(n)
                } else if let index = names.firstIndex(of: bound.lowercased()) {
                    values.append(index + (min == 1 ? 1 : 0))
                } else {
                    return "failed to parse int from \(bound)"
                }
            }
            for v in values where v < min || v > max {
                return v < min ? "beginning of range (\(v)) below minimum (\(min)): \(range)"
                    : "end of range (\(v)) above maximum (\(max)): \(range)"
            }
            if values.count == 2 && values[0] > values[1] {
                return "beginning of range (\(values[0])) beyond end of range (\(values[1])): \(range)"
            }
        }
        return nil
    }
}
