import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file helpers for credentials: atomic replacement with an explicit mode, so a private
/// key is never observable with wider permissions or half-written.
enum SecureFile {
    /// Creates `directory` (and parents) if missing; a newly created leaf gets `mode`.
    static func ensureDirectory(_ directory: URL, mode: mode_t = 0o700) throws {
        let path = directory.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return
        }
        do {
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: NSNumber(value: Int(mode))])
        } catch {
            throw PKIError.fileSystem(path: path, errno: errno == 0 ? EIO : errno)
        }
    }

    /// Writes `contents` to a temporary sibling created with `mode`, fsyncs it and renames it
    /// over `url`.
    static func write(_ contents: String, to url: URL, mode: mode_t) throws {
        let path = url.path
        let temporary = url.deletingLastPathComponent()
            .appendingPathComponent(".\(url.lastPathComponent).\(UInt32.random(in: 0...UInt32.max)).tmp").path
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else { throw PKIError.fileSystem(path: temporary, errno: errno) }
        var failure: Int32 = 0
        do {
            let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: false)
            try handle.write(contentsOf: Data(contents.utf8))
        } catch {
            failure = errno == 0 ? EIO : errno
        }
        // The umask may have narrowed the mode at creation; set it exactly.
        if failure == 0, fchmod(fd, mode) != 0 { failure = errno }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        close(fd)
        if failure == 0, rename(temporary, path) != 0 { failure = errno }
        if failure != 0 {
            unlink(temporary)
            throw PKIError.fileSystem(path: path, errno: failure)
        }
    }

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }

    static func read(_ url: URL) throws -> String {
        do {
            return try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PKIError.unreadableFile(path: url.path, reason: "\(error)")
        }
    }
}
