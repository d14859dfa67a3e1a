import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

@main
struct Skiff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skiff",
        abstract: "Kubernetes in one binary: API server, store, scheduler, controllers and node agent.",
        discussion: "Start a control plane with `skiff server`; it writes an admin kubeconfig that the stock kubectl uses at once. Join more nodes with `skiff agent`.",
        version: SkiffVersion.current.gitVersion,
        subcommands: [ServerCommand.self, AgentCommand.self, HollowNodesCommand.self, SchedulerCommand.self, ControllerManagerCommand.self, VersionCommand.self, BenchCommand.self, DebugCommand.self]
    )

    /// Runs the command with SwiftNIO's event loops as Swift Concurrency's global executor:
    /// a request's task then runs on the event loop thread its connection reads on, instead of
    /// hopping to the concurrency pool and back for every request and response (on two cores,
    /// 1.5× the scheduler benchmark's backlog throughput, docs/performance.md). Blocking work
    /// stays off it: the store's SQLite connections run on their own dispatch queues.
    /// `SKIFF_GLOBAL_EXECUTOR=dispatch` keeps Swift's own pool (for comparisons). The group has
    /// one thread per core unless `SKIFF_EVENT_LOOPS` or the subcommand says otherwise
    /// (``EventLoopCount``); it is sized before its first use.
    static func main() async {
        let environment = ProcessInfo.processInfo.environment
        do {
            var command = try parseAsRoot()
            if let loops = EventLoopCount.chosen(for: command, environment: environment) {
                NIOSingletons.groupLoopCountSuggestion = loops
            }
            if environment["SKIFF_GLOBAL_EXECUTOR"] != "dispatch" {
                NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
            }
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}
