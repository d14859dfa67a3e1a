import Foundation
import OpenSSLTLS
#if canImport(Glibc)
import Glibc
#endif

/// A `skiff server` child process (this very executable) on a loopback port, for the API
/// benchmark: started, polled until `/readyz` answers, measured (RSS), stopped.
final class APIServerUnderTest {
    let dataDirectory: URL
    let port: Int
    private(set) var process = Process()

    init(dataDirectory: URL, port: Int) {
        self.dataDirectory = dataDirectory
        self.port = port
    }

    var tlsDirectory: URL { dataDirectory.appendingPathComponent("tls") }

    /// Starts the server and returns the time until `/readyz` first answered `ok`.
    func start() async throws -> Duration {
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        process.arguments = ["server", "--data-dir", dataDirectory.path, "--https-port", String(port),
                             "--bind-address", "127.0.0.1", "--disable-agent", "--disable-scheduler",
                             "--disable-controller-manager", "--disable-metrics-server"]
        let log = dataDirectory.appendingPathComponent("server.log")
        try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: log.path) { _ = FileManager.default.createFile(atPath: log.path, contents: nil) }
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        let clock = ContinuousClock()
        let started = clock.now
        try process.run()
        var tls: TLSContext?
        while clock.now - started < .seconds(60) {
            guard process.isRunning else { throw BenchHTTPClient.Failure(description: "skiff server exited; see \(log.path)") }
            // The credentials appear once the server has created its PKI (first start).
            if tls == nil, FileManager.default.fileExists(atPath: tlsDirectory.appendingPathComponent("admin.key").path) {
                tls = try? BenchHTTPClient.tlsContext(tlsDirectory: tlsDirectory)
            }
            if let tls, await readyzAnswersOK(tls: tls) { return clock.now - started }
            try await Task.sleep(for: .milliseconds(2))
        }
        throw BenchHTTPClient.Failure(description: "skiff server not ready after 60 s; see \(log.path)")
    }

    private func readyzAnswersOK(tls: TLSContext) async -> Bool {
        let response = try? await BenchHTTPClient.withSession(port: port, tls: tls) { session in
            try await session.request(.GET, "/readyz")
        }
        return response?.status == 200
    }

    /// User + system CPU time the server used so far.
    func cpuTime() -> Duration {
        ChildProcess.cpuTime(pid: process.processIdentifier)
    }

    /// Resident set size from /proc (kB → bytes).
    func residentBytes() -> Int64 {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            let kb = line.split(separator: " ").compactMap { Int64($0) }.first ?? 0
            return kb * 1024
        }
        return 0
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
    }

    /// A port the kernel reports free on 127.0.0.1.
    static func freePort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
