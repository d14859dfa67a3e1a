import Foundation

/// Executables of this package as built next to the running test bundle (the build's products
/// directory), for tests that start real processes (`skiff server`, the store crash writer).
public enum BuiltExecutables {
    /// The `skiff` binary: `SKIFF_EXECUTABLE` if set, else the first `skiff` found beside the test
    /// bundle or up to three folders above it.
    public static func skiff() -> URL? {
        if let override = ProcessInfo.processInfo.environment["SKIFF_EXECUTABLE"] {
            return URL(fileURLWithPath: override)
        }
        var candidates: [URL] = []
        for base in [Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0])] {
            var dir = base.deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(dir.appendingPathComponent("skiff"))
                dir = dir.deletingLastPathComponent()
            }
        }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }
}
