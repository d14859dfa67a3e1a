import Foundation
import SkiffTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// A `skiff server` child process on a free loopback port with its own data directory.
final class SkiffServerProcess {
    let process = Process()
    let dataDirectory: URL
    let port: Int
    let log: URL

    var kubeconfig: URL { dataDirectory.appendingPathComponent("kubeconfig.yaml") }
    var baseURL: String { "https://127.0.0.1:\(port)" }

    /// Starts a server on a new data directory, or on `dataDirectory` (a restart).
    init(extraArguments: [String] = [], dataDirectory existing: URL? = nil) throws {
        guard let executable = BuiltExecutables.skiff() else { throw E2EError("skiff executable not found next to the test bundle; build the package or set SKIFF_EXECUTABLE") }
        dataDirectory = existing ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("skiff-e2e-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        port = try Self.freePort()
        log = dataDirectory.appendingPathComponent("server.log")
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let logHandle = try FileHandle(forWritingTo: log)
        logHandle.seekToEndOfFile()
        process.executableURL = executable
        process.arguments = ["server", "--data-dir", dataDirectory.path, "--https-port", String(port),
                             "--bind-address", "127.0.0.1"] + extraArguments
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
    }

    /// SIGKILL, keeping the data directory (for a restart on it).
    func crash() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    /// SIGKILL, so nothing leaks whatever the test did.
    func kill() {
        if process.isRunning {
            Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: dataDirectory)
    }

    var serverLog: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Polls `/readyz` (bounded) until the server answers `ok`.
    func waitUntilReady(attempts: Int = 300) async throws {
        for _ in 0..<attempts {
            guard process.isRunning else { throw E2EError("skiff server exited early:\n\(serverLog)") }
            let result = try Command.run("/usr/bin/curl", ["-sk", "--max-time", "2", "\(baseURL)/readyz"])
            if result.stdout == "ok" { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("skiff server not ready after \(attempts) polls:\n\(serverLog)")
    }

    /// `kubectl --kubeconfig DIR/kubeconfig.yaml ARGS`, with HOME in the data dir (discovery cache).
    func kubectl(_ arguments: String...) throws -> Command.Result {
        try kubectl(arguments)
    }

    func kubectl(_ arguments: [String]) throws -> Command.Result {
        try Command.run("/usr/bin/kubectl", ["--kubeconfig", kubeconfig.path] + arguments,
                        environment: ["HOME": dataDirectory.path])
    }

    /// Starts a long-running kubectl (`get -w`, `wait`) writing its output to `output`.
    func startKubectl(_ arguments: [String], output: URL) throws -> Process {
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let kubectl = Process()
        kubectl.executableURL = URL(fileURLWithPath: "/usr/bin/kubectl")
        kubectl.arguments = ["--kubeconfig", kubeconfig.path] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["HOME"] = dataDirectory.path
        kubectl.environment = environment
        let handle = try FileHandle(forWritingTo: output)
        kubectl.standardOutput = handle
        kubectl.standardError = handle
        try kubectl.run()
        return kubectl
    }

    /// Polls a long-running kubectl's output until `condition` holds (30 s at most).
    func waitFor(file: URL, _ condition: (String) -> Bool) async throws {
        for _ in 0..<150 {
            if condition((try? String(contentsOf: file, encoding: .utf8)) ?? "") { return }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw E2EError("condition not met; output:\n\((try? String(contentsOf: file, encoding: .utf8)) ?? "")")
    }

    /// kubectl with a bearer token and no client certificate.
    func kubectlWithToken(_ token: String, _ arguments: String...) throws -> Command.Result {
        let ca = dataDirectory.appendingPathComponent("tls/ca.crt").path
        return try Command.run("/usr/bin/kubectl", ["--kubeconfig", "/dev/null", "--server", baseURL,
                                                    "--certificate-authority", ca, "--token", token] + arguments,
                               environment: ["HOME": dataDirectory.path])
    }


    /// A port the kernel reports free on 127.0.0.1.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw E2EError("socket failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw E2EError("bind failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw E2EError("getsockname failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct E2EError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion and captures its output.
enum Command {
    struct Result: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String
        var description: String { "exit \(status)\nstdout:\n\(stdout)\nstderr:\n\(stderr)" }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain stderr concurrently with stdout so neither pipe fills up.
        let errorData = LockedData()
        let reader = Thread { errorData.set(err.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let stderr = errorData.waitForValue()
        return Result(status: process.terminationStatus,
                      stdout: String(decoding: output, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

/// A one-shot hand-over of the stderr bytes from the reader thread.
final class LockedData: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Data?

    func set(_ data: Data) {
        condition.lock()
        value = data
        condition.broadcast()
        condition.unlock()
    }

    func waitForValue() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}
