import ArgumentParser

/// A Go-style duration flag value (`40s`, `1m30s`, `500ms`), as kube-controller-manager's
/// duration flags take them.
struct DurationFlag: ExpressibleByArgument, Sendable {
    var duration: Duration

    init(_ duration: Duration) { self.duration = duration }

    init?(argument: String) {
        var total = Duration.zero
        var number = ""
        var rest = Substring(argument)
        guard !rest.isEmpty else { return nil }
        while !rest.isEmpty {
            while let c = rest.first, c.isNumber || c == "." { number.append(c); rest.removeFirst() }
            var unit = ""
            while let c = rest.first, c.isLetter { unit.append(c); rest.removeFirst() }
            guard let value = Double(number) else { return nil }
            let scale: Double
            switch unit {
            case "h": scale = 3600
            case "m": scale = 60
            case "s": scale = 1
            case "ms": scale = 0.001
            default: return nil
            }
            total += .milliseconds(Int64((value * scale * 1000).rounded()))
            number = ""
        }
        duration = total
    }

    var defaultValueDescription: String {
        let (seconds, _) = duration.components
        return "\(seconds)s"
    }
}
