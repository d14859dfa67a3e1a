import Foundation
import Testing

/// A fresh directory under the system temp dir, removed by the caller with `remove()`.
struct TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("skiff-pki-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

/// The result of running an external tool.
struct ToolResult {
    var status: Int32
    var output: String
    var error: String
    var timedOut: Bool
}

enum ExternalTool {
    static func isInstalled(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    static let openssl = "/usr/bin/openssl"
    static let kubectl = "/usr/bin/kubectl"

    /// Runs `executable arguments` with stdin from /dev/null, killing it after `timeout`.
    static func run(
        _ executable: String, _ arguments: [String], timeout: TimeInterval = 30,
        environment: [String: String]? = nil
    ) throws -> ToolResult {
        let process = try start(executable, arguments, environment: environment)
        let deadline = Date() + timeout
        var timedOut = false
        while process.process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.stop()
                break
            }
            Thread.sleep(forTimeInterval: 0.02)
        }
        process.process.waitUntilExit()
        return process.finish(timedOut: timedOut)
    }

    /// Starts a process whose output goes to temporary files (no pipe can fill up).
    static func start(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> RunningTool {
        let directory = FileManager.default.temporaryDirectory
        let outURL = directory.appendingPathComponent("skiff-tool-\(UUID().uuidString).out")
        let errURL = directory.appendingPathComponent("skiff-tool-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardInput = FileHandle(forReadingAtPath: "/dev/null")
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        return RunningTool(process: process, outURL: outURL, errURL: errURL)
    }
}

struct RunningTool {
    let process: Process
    let outURL: URL
    let errURL: URL

    /// SIGKILL: a child of the test process may inherit a signal mask that blocks SIGTERM.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    func finish(timedOut: Bool = false) -> ToolResult {
        let output = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let error = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        try? FileManager.default.removeItem(at: outURL)
        try? FileManager.default.removeItem(at: errURL)
        return ToolResult(status: process.terminationStatus, output: output, error: error, timedOut: timedOut)
    }
}

/// The permission bits of `url`.
func posixMode(_ url: URL) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A loopback TCP port that was free a moment ago (bind to port 0, read it back, close).
func freeLoopbackPort() throws -> UInt16 {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return UInt16(bigEndian: address.sin_port)
}
