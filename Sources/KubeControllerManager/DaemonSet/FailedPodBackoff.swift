import Foundation
import Synchronization

/// How often a DaemonSet may replace a failed pod on one node (upstream's
/// `failedPodsBackoff`, a `flowcontrol.Backoff` of 1 s doubling to 15 min, keyed
/// `<ds uid>/<node>`), so a kubelet that keeps rejecting the pod is not fought in a hot loop.
final class FailedPodBackoff: Sendable {
    struct Entry {
        var delay: TimeInterval
        var lastUpdate: Date
    }

    let initial: TimeInterval
    let maximum: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])

    init(initial: TimeInterval = 1, maximum: TimeInterval = 15 * 60) {
        self.initial = initial
        self.maximum = maximum
    }

    static func key(dsUID: String, node: String) -> String { "\(dsUID)/\(node)" }

    /// The current delay for `key` (0 when there is none).
    func delay(_ key: String) -> TimeInterval { entries.withLock { $0[key]?.delay ?? 0 } }

    /// Less than the current delay has passed since the last failure was acted on.
    func isInBackoff(_ key: String, now: Date) -> Bool {
        entries.withLock { entries in
            guard let entry = entries[key] else { return false }
            return now.timeIntervalSince(entry.lastUpdate) < entry.delay
        }
    }

    /// Records a failure acted on at `now`: the delay starts at `initial` and doubles up to `maximum`
    /// (and starts over after two quiet maximum periods).
    func next(_ key: String, now: Date) {
        entries.withLock { entries in
            if var entry = entries[key], now.timeIntervalSince(entry.lastUpdate) <= 2 * maximum {
                entry.delay = min(entry.delay * 2, maximum)
                entry.lastUpdate = now
                entries[key] = entry
            } else {
                entries[key] = Entry(delay: initial, lastUpdate: now)
            }
        }
    }

    /// Forgets entries idle for two maximum periods.
    func collectGarbage(now: Date) {
        entries.withLock { entries in
            entries = entries.filter { now.timeIntervalSince($0.value.lastUpdate) <= 2 * maximum }
        }
    }
}
