import ArgumentParser

/// A subcommand that runs best on fewer event-loop threads than the machine has cores.
protocol PreferredEventLoopCount {
    /// Threads of NIO's shared event-loop group (which also runs Swift Concurrency's jobs).
    static var preferredEventLoops: Int { get }
}

enum EventLoopCount {
    /// `SKIFF_EVENT_LOOPS`, like Go's `GOMAXPROCS`: the number of event-loop threads a skiff
    /// process runs its I/O and tasks on (default: one per core, or the subcommand's preference).
    static let environmentVariable = "SKIFF_EVENT_LOOPS"

    /// The thread count for `command`'s process, or nil to keep NIO's default (one per core).
    static func chosen(for command: any ParsableCommand, environment: [String: String]) -> Int? {
        if let text = environment[environmentVariable], let count = Int(text), count > 0 { return count }
        return (type(of: command) as? any PreferredEventLoopCount.Type)?.preferredEventLoops
    }
}
