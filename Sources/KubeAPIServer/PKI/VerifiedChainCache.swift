import Foundation
import Synchronization

/// Chains the client-certificate authenticator has already verified, keyed by their DER bytes:
/// a TLS connection presents the same chain on every request, and checking the signatures
/// again each time would cost an ECDSA verification per request. An entry keeps the user and
/// the window in which every certificate of the chain (and the CA) is valid; time is still
/// checked on each hit. Bounded: when full, the cache starts over.
final class VerifiedChainCache: Sendable {
    struct Entry: Sendable {
        let user: UserInfo
        /// The latest `notValidBefore` and the earliest `notValidAfter` over the chain and CA.
        let validFrom: Date
        let validUntil: Date
    }

    private let entries = Mutex<[[[UInt8]]: Entry]>([:])
    let capacity: Int

    init(capacity: Int = 1024) {
        self.capacity = capacity
    }

    func entry(for chain: [[UInt8]]) -> Entry? {
        entries.withLock { $0[chain] }
    }

    func insert(_ entry: Entry, for chain: [[UInt8]]) {
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[chain] = entry
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
