import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The host's names and addresses, the default extra SANs of the serving certificate (k3s adds
/// the node name and node IPs the same way).
public enum HostAddresses {
    /// `gethostname(2)`, lower-cased; empty when unavailable.
    public static func hostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            .lowercased()
    }

    /// The addresses of the interfaces that are up, from `getifaddrs(3)`: IPv4 and IPv6, without
    /// loopback and without IPv6 link-local addresses (which need a zone to be reachable and so
    /// cannot be named in a certificate). In interface order, without duplicates.
    public static func interfaceAddresses() -> [IPAddress] {
        var head: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&head) == 0, let first = head else { return [] }
        defer { freeifaddrs(head) }

        var result: [IPAddress] = []
        var cursor: UnsafeMutablePointer<ifaddrs>? = first
        while let entry = cursor {
            cursor = entry.pointee.ifa_next
            guard (entry.pointee.ifa_flags & UInt32(IFF_UP)) != 0,
                let socketAddress = entry.pointee.ifa_addr
            else { continue }
            let address: IPAddress?
            switch Int32(socketAddress.pointee.sa_family) {
            case AF_INET:
                address = socketAddress.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { v4 in
                    var raw = v4.pointee.sin_addr
                    return withUnsafeBytes(of: &raw) { IPAddress(bytes: $0) }
                }
            case AF_INET6:
                address = socketAddress.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { v6 in
                    var raw = v6.pointee.sin6_addr
                    return withUnsafeBytes(of: &raw) { IPAddress(bytes: $0) }
                }
            default:
                address = nil
            }
            guard let address, !address.isLoopback, !address.isIPv6LinkLocal,
                !result.contains(address)
            else { continue }
            result.append(address)
        }
        return result
    }

    /// `hostname()` (when non-empty) and the interface addresses as strings, ready for
    /// ``ClusterPKI/loadOrCreate(directory:hostnames:ipAddresses:serviceIP:now:logger:)``.
    public static func current() -> (hostnames: [String], ipAddresses: [String]) {
        let name = hostname()
        return (name.isEmpty ? [] : [name], interfaceAddresses().map(\.description))
    }
}
