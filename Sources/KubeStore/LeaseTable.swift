import Foundation

/// In-memory lease deadlines (the durable record of which leases exist is the backend's).
struct LeaseTable: Sendable {
    struct Lease: Sendable {
        var ttl: Int64
        var deadline: Date
    }

    private(set) var leases: [LeaseID: Lease] = [:]
    private(set) var nextID: LeaseID = 1

    mutating func allocateID() -> LeaseID {
        defer { nextID += 1 }
        return nextID
    }

    mutating func reserve(below id: LeaseID) {
        nextID = max(nextID, id + 1)
    }

    mutating func insert(_ id: LeaseID, ttl: Int64, now: Date = Date()) {
        leases[id] = Lease(ttl: ttl, deadline: now.addingTimeInterval(TimeInterval(ttl)))
        reserve(below: id)
    }

    mutating func remove(_ id: LeaseID) {
        leases[id] = nil
    }

    func contains(_ id: LeaseID) -> Bool { leases[id] != nil }

    /// Renews a lease; returns its TTL, or `nil` if unknown.
    mutating func keepAlive(_ id: LeaseID, now: Date = Date()) -> Int64? {
        guard var lease = leases[id] else { return nil }
        lease.deadline = now.addingTimeInterval(TimeInterval(lease.ttl))
        leases[id] = lease
        return lease.ttl
    }

    /// Leases whose deadline is at or before `now`, sorted.
    func expired(now: Date) -> [LeaseID] {
        leases.filter { $0.value.deadline <= now }.map(\.key).sorted()
    }
}
