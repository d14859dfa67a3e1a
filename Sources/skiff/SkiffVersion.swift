/// The version Skiff reports (`skiff version`, and `/version` once the API server lands).
/// `minor` is the Kubernetes minor whose API Skiff implements: kubectl's version dispatcher picks
/// its client by it.
struct SkiffVersion: Sendable {
    let major: String
    let minor: String
    let skiff: String

    static let current = SkiffVersion(major: "1", minor: "36", skiff: "0.1.0")

    var gitVersion: String { "v\(major).\(minor).0+skiff-\(skiff)" }
}
