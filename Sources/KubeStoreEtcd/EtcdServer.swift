import Foundation
import KubeStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A single-member etcd launched as a child process on loopback (tests and `skiff bench store`):
/// its own data directory, free client and peer ports, default settings otherwise (etcd fsyncs
/// its WAL before acknowledging a write).
public struct EtcdServer: Sendable {
    /// The client endpoint, `127.0.0.1:<port>`.
    public let endpoint: String
    /// The member's `--data-dir`.
    public let dataDirectory: URL
    /// etcd's combined stdout/stderr.
    public let logFile: URL

    /// The etcd executable: `$SKIFF_ETCD`, else `etcd` on `PATH`, else `/usr/bin/etcd`; `nil` if
    /// none exists.
    public static func locateExecutable() -> String? {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [String] = []
        if let explicit = environment["SKIFF_ETCD"] { candidates.append(explicit) }
        for dir in (environment["PATH"] ?? "").split(separator: ":") { candidates.append("\(dir)/etcd") }
        candidates.append("/usr/bin/etcd")
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Starts etcd in `directory` (created if needed; `data` and `etcd.log` inside it), waits until
    /// it serves requests, runs `body`, then stops etcd (SIGTERM) and waits for it to exit.
    /// `extraArguments` are appended to etcd's command line.
    public static func withServer<R>(
        in directory: URL, extraArguments: [String] = [],
        body: (EtcdServer) async throws -> R
    ) async throws -> R {
        guard let executable = locateExecutable() else {
            throw StoreError.backend(
                "etcd is not installed (no etcd on PATH or /usr/bin/etcd; scripts/setup.sh installs etcd-server)")
        }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        // The ports are free when picked, but another process may take one before etcd binds it:
        // then etcd exits at once with "address already in use" and we try again with new ports.
        for attempt in 1...5 {
            let clientPort = try freeLoopbackPort()
            var peerPort = try freeLoopbackPort()
            while peerPort == clientPort { peerPort = try freeLoopbackPort() }
            let client = "http://127.0.0.1:\(clientPort)"
            let peer = "http://127.0.0.1:\(peerPort)"
            let server = EtcdServer(
                endpoint: "127.0.0.1:\(clientPort)", dataDirectory: directory.appendingPathComponent("data"),
                logFile: directory.appendingPathComponent("etcd.log"))

            _ = FileManager.default.createFile(atPath: server.logFile.path, contents: nil)
            let log = try FileHandle(forWritingTo: server.logFile)
            defer { try? log.close() }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = [
                "--name", "skiff", "--data-dir", server.dataDirectory.path,
                "--listen-client-urls", client, "--advertise-client-urls", client,
                "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
                "--initial-cluster", "skiff=\(peer)",
            ] + extraArguments
            process.standardOutput = log
            process.standardError = log
            let (exited, exitedContinuation) = AsyncStream<Int32>.makeStream()
            process.terminationHandler = { process in
                exitedContinuation.yield(process.terminationStatus)
                exitedContinuation.finish()
            }
            try process.run()

            func stop() async {
                if process.isRunning { process.terminate() }
                for await _ in exited {}
            }
            do {
                try await server.waitUntilServing(process)
            } catch {
                await stop()
                if attempt < 5 && server.logTail().contains("address already in use") {
                    try? FileManager.default.removeItem(at: server.dataDirectory)
                    continue
                }
                throw error
            }
            do {
                let result = try await body(server)
                await stop()
                return result
            } catch {
                await stop()
                throw error
            }
        }
        throw StoreError.backend("etcd could not bind a free loopback port")
    }

    /// Bounded readiness poll: retries a read until etcd answers, failing early if it exits.
    private func waitUntilServing(_ process: Process) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(60)
        try await EtcdStore.withStore(endpoint: endpoint) { store in
            while true {
                guard process.isRunning else {
                    throw StoreError.backend("etcd exited during startup (status \(process.terminationStatus)):\n\(logTail())")
                }
                do {
                    try await store.waitUntilReady(timeout: .seconds(1))
                    return
                } catch _ where clock.now < deadline {
                    continue
                }
            }
        }
    }

    /// The last lines of etcd's log (for error messages).
    public func logTail(lines: Int = 20) -> String {
        let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read it, close).
    static func freeLoopbackPort() throws -> Int {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw StoreError.backend("socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { throw StoreError.backend("binding a loopback port failed: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
