import ArgumentParser

struct VersionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "version",
        abstract: "Print the Skiff version and the Kubernetes API version it implements."
    )

    func run() {
        let v = SkiffVersion.current
        print("skiff version \(v.gitVersion)")
        print("Kubernetes API: \(v.major).\(v.minor)")
    }
}
