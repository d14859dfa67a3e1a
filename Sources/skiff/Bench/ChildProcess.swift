import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Another `skiff` subcommand run as a child process for a benchmark (hollow nodes, the
/// scheduler), logging to a file, measured through /proc, stopped with SIGTERM.
final class ChildProcess {
    let process = Process()
    let log: URL

    init(arguments: [String], log: URL) throws {
        self.log = log
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = arguments
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// Resident set size in bytes.
    func residentBytes() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)
        else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return (line.split(separator: " ").compactMap { Int64($0) }.first ?? 0) * 1024
        }
        return 0
    }

    /// User + system CPU time used so far.
    func cpuTime() -> Duration {
        ChildProcess.cpuTime(pid: process.processIdentifier)
    }

    static func cpuTime(pid: Int32) -> Duration {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return .zero }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the command: state is field 3, utime 14 and stime 15 (1-based in proc(5)).
        guard fields.count > 13, let user = Int64(fields[11]), let system = Int64(fields[12]) else { return .zero }
        let ticks = Int64(sysconf(Int32(_SC_CLK_TCK)))
        return .milliseconds((user + system) * 1000 / max(ticks, 1))
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }
}
