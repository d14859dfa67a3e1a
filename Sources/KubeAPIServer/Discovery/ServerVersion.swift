/// `GET /version`: upstream's `version.Info`. kubectl's version dispatcher picks its client by
/// `minor`.
public struct ServerVersion: Codable, Sendable, Equatable {
    public var major: String
    public var minor: String
    public var emulationMajor: String
    public var emulationMinor: String
    public var minCompatibilityMajor: String
    public var minCompatibilityMinor: String
    public var gitVersion: String
    public var gitCommit: String
    public var gitTreeState: String
    public var buildDate: String
    public var goVersion: String
    public var compiler: String
    public var platform: String

    public init(major: String, minor: String, gitVersion: String, gitCommit: String = "",
                buildDate: String = "1970-01-01T00:00:00Z") {
        self.major = major
        self.minor = minor
        emulationMajor = major
        emulationMinor = minor
        minCompatibilityMajor = major
        minCompatibilityMinor = String(max(0, (Int(minor) ?? 1) - 1))
        self.gitVersion = gitVersion
        self.gitCommit = gitCommit
        gitTreeState = "clean"
        self.buildDate = buildDate
        #if compiler(>=6.3)
        goVersion = "swift6.3"
        #else
        goVersion = "swift6"
        #endif
        compiler = "swiftc"
        #if arch(arm64)
        platform = "linux/arm64"
        #else
        platform = "linux/amd64"
        #endif
    }
}
