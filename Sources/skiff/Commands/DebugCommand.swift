import ArgumentParser
import Foundation
import KubeStore

/// Hidden developer tools (used by the test suite).
struct DebugCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Developer and test tools.",
        shouldDisplay: false,
        subcommands: [StoreWriter.self]
    )

    /// Writes forever from N concurrent tasks, printing `ack <key> <revision>` for every
    /// acknowledged (durable) put. The crash test SIGKILLs it and checks every ack survived.
    struct StoreWriter: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store-writer",
            abstract: "Put fresh keys forever into a SQLite store, printing one line per ack."
        )

        @Option(help: "Path of the SQLite database.")
        var db: String

        @Option(help: "Number of concurrent writers.")
        var writers: Int = 4

        @Option(help: "Value size in bytes.")
        var valueSize: Int = 200

        func run() async throws {
            let store = try SQLiteStore(path: db)
            let run = UUID().uuidString.prefix(8)
            let valueSize = valueSize
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var i = 0
                        while !Task.isCancelled {
                            let key = "/crash/\(run)/w\(writer)/\(i)"
                            let revision = try await store.put(key, Self.value(for: key, size: valueSize)).revision
                            FileHandle.standardOutput.write(Data("ack \(key) \(revision)\n".utf8))
                            i += 1
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        /// The deterministic value written for `key` (the test recomputes it).
        static func value(for key: String, size: Int) -> [UInt8] {
            let seed = Array(key.utf8)
            return (0..<size).map { seed[$0 % seed.count] }
        }
    }
}
