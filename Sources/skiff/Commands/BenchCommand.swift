import ArgumentParser

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Run benchmarks; figures are recorded in docs/performance.md.",
        subcommands: [BenchStoreCommand.self, BenchAPICommand.self, BenchSchedulerCommand.self, BenchControllersCommand.self, BenchCodecCommand.self, BenchFieldsCommand.self]
    )
}
