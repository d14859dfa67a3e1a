import ArgumentParser

@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Kubernetes in one binary: API server, store, scheduler, controllers and node agent.",
        discussion: "Start a control plane with `skiff server`; it writes an admin kubeconfig that the stock kubectl uses at once. Join more nodes with `skiff agent`.",
        version: SkiffVersion.current.gitVersion,
        subcommands: [ServerCommand.self, AgentCommand.self, HollowNodesCommand.self, SchedulerCommand.self, ControllerManagerCommand.self, VersionCommand.self, BenchCommand.self, DebugCommand.self]
    )
}
