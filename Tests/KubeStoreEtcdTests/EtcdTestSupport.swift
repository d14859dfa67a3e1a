import Foundation
import KubeStore
import KubeStoreEtcd
import Testing

/// Runs `body` against a fresh single-member etcd (its own temporary data directory and free
/// loopback ports), so every test starts at revision 1. Fails (never skips) when etcd is missing.
func withEtcdStore(_ body: (EtcdStore) async throws -> Void) async throws {
    guard EtcdServer.locateExecutable() != nil else {
        Issue.record("etcd is not installed (expected /usr/bin/etcd); run scripts/setup.sh, which installs etcd-server")
        return
    }
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kubestore-etcd-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    try await EtcdServer.withServer(in: dir) { server in
        try await EtcdStore.withStore(endpoint: server.endpoint) { store in
            try await body(store)
        }
    }
}

func b(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Collects the first `count` events of a watch.
func collect(_ stream: WatchStream, count: Int) async throws -> [WatchEvent] {
    var events: [WatchEvent] = []
    for try await event in stream {
        events.append(event)
        if events.count == count { break }
    }
    return events
}
