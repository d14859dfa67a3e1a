/// The complete MVCC state of an ``InMemoryStore``: per-key version history, a sorted key index,
/// the change log for watch catch-up, and leases.
struct MemoryMVCC: MVCCWriteTarget {
    struct Version {
        var revision: Revision
        /// `nil` for a deletion.
        var kv: KeyValue?
    }

    var revision: Revision = 1
    var compacted: Revision = 0
    var closed = false
    /// Every key with retained history, sorted bytewise.
    private(set) var keys: [String] = []
    private(set) var history: [String: [Version]] = [:]
    /// Change events (with prevKV) of revisions above `compacted`, in order.
    private(set) var log: [WatchEvent] = []
    var leases = LeaseTable()

    // MARK: MVCCWriteTarget

    func latest(_ key: String) throws -> KeyValue? {
        history[key]?.last?.kv
    }

    func latest(in bounds: KeyBounds) throws -> [KeyValue] {
        keys(in: bounds).compactMap { history[$0]?.last?.kv }
    }

    func range(_ request: RangeRequest, current: Revision) throws -> RangeResponse {
        let at = request.revision == 0 ? current : request.revision
        if at < compacted { throw StoreError.compacted(compacted) }
        if at > current { throw StoreError.futureRevision(current) }
        let bounds = request.range.bounds
        var matching: [KeyValue] = []
        for key in keys(in: bounds) {
            guard let versions = history[key] else { continue }
            if let version = versions.last(where: { $0.revision <= at }), let kv = version.kv {
                matching.append(kv)
            }
        }
        return RangeResponse(matching: matching, request: request, revision: current)
    }

    func compactedRevision() throws -> Revision { compacted }

    func leaseExists(_ id: LeaseID) throws -> Bool { leases.contains(id) }

    mutating func recordPut(_ kv: KeyValue, prev: KeyValue?, sub: Int) throws {
        append(Version(revision: kv.modRevision, kv: kv), for: kv.key)
        log.append(WatchEvent(type: .put, kv: kv, prevKV: prev))
    }

    mutating func recordDelete(_ prev: KeyValue, revision: Revision, sub: Int) throws {
        append(Version(revision: revision, kv: nil), for: prev.key)
        log.append(.tombstone(key: prev.key, revision: revision, prev: prev))
    }

    // MARK: Keys

    private mutating func append(_ version: Version, for key: String) {
        if history[key] == nil {
            keys.insert(key, at: lowerBound(Array(key.utf8)))
            history[key] = [version]
        } else {
            history[key]!.append(version)
        }
    }

    /// Index of the first key `>= bytes`.
    private func lowerBound(_ bytes: [UInt8]) -> Int {
        var low = 0
        var high = keys.count
        while low < high {
            let mid = (low + high) / 2
            if keys[mid].utf8.lexicographicallyPrecedes(bytes) { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func keys(in bounds: KeyBounds) -> ArraySlice<String> {
        let start = lowerBound(bounds.lower)
        var end = start
        while end < keys.count && bounds.contains(keys[end]) { end += 1 }
        return keys[start..<end]
    }

    func keys(withLease id: LeaseID) -> [String] {
        keys.filter { history[$0]?.last?.kv?.lease == id }
    }

    // MARK: Watch history and compaction

    /// Events with revisions in `from...to` matching `bounds`.
    func events(from: Revision, to: Revision, bounds: KeyBounds, prevKV: Bool) throws -> [WatchEvent] {
        if from <= compacted { throw StoreError.compacted(compacted) }
        var low = 0
        var high = log.count
        while low < high {
            let mid = (low + high) / 2
            if log[mid].revision < from { low = mid + 1 } else { high = mid }
        }
        var result: [WatchEvent] = []
        var index = low
        while index < log.count && log[index].revision <= to {
            var event = log[index]
            index += 1
            guard bounds.contains(event.kv.key) else { continue }
            if !prevKV { event.prevKV = nil }
            result.append(event)
        }
        return result
    }

    /// Keeps only the latest version at or before `target` of each key (dropped if a deletion).
    mutating func compact(to target: Revision) {
        compacted = target
        var remaining: [String] = []
        remaining.reserveCapacity(keys.count)
        for key in keys {
            guard var versions = history[key] else { continue }
            if let last = versions.lastIndex(where: { $0.revision <= target }) {
                versions.removeFirst(last)
                if versions[0].kv == nil { versions.removeFirst() }
            }
            if versions.isEmpty {
                history[key] = nil
            } else {
                history[key] = versions
                remaining.append(key)
            }
        }
        keys = remaining
        let firstKept = log.firstIndex { $0.revision > target } ?? log.count
        log.removeFirst(firstKept)
    }
}
