import Foundation
import KubeModel
import Synchronization

/// The pod-creation backoff after pod failures (upstream's `backoffRecord`): how many pods
/// failed since the last success and when the last of them finished. The delay is 10 s,
/// doubling per further failure, at most 10 minutes.
struct JobBackoffRecord: Sendable, Equatable {
    static let base: Duration = .seconds(10)
    static let cap: Duration = .seconds(600)

    var failuresAfterLastSuccess: Int32 = 0
    var lastFailureTime: Date?

    /// How long pod creation must still wait at `now`.
    func remainingTime(now: Date) -> Duration {
        Self.remainingTime(failures: failuresAfterLastSuccess, lastFailure: lastFailureTime, now: now)
    }

    static func remainingTime(failures: Int32, lastFailure: Date?, now: Date) -> Duration {
        guard failures > 0, let lastFailure else { return .zero }
        var backoff = base
        var step: Int32 = 1
        while step < failures {
            backoff = backoff * 2
            if backoff >= cap { backoff = cap; break }
            step += 1
        }
        let elapsed = Duration.milliseconds(Int64((now.timeIntervalSince(lastFailure) * 1000).rounded()))
        return backoff < elapsed ? .zero : backoff - elapsed
    }

    /// The record after this sync's newly counted pods: a success resets it; failures after
    /// the last success add up.
    func updated(succeeded: [CoreV1.Pod], failed: [CoreV1.Pod]) -> JobBackoffRecord {
        let failedTimes = failed.map(JobPods.finishedTime).sorted()
        guard let lastSuccess = succeeded.map(JobPods.finishedTime).max() else {
            guard let last = failedTimes.last else { return self }
            return JobBackoffRecord(failuresAfterLastSuccess: failuresAfterLastSuccess + Int32(failedTimes.count),
                                    lastFailureTime: last)
        }
        let after = failedTimes.filter { $0 > lastSuccess }
        return JobBackoffRecord(failuresAfterLastSuccess: Int32(after.count), lastFailureTime: after.last)
    }
}

/// The backoff records of every Job, by key.
final class JobBackoffStore: Sendable {
    private let records = Mutex<[String: JobBackoffRecord]>([:])

    func record(_ key: String) -> JobBackoffRecord { records.withLock { $0[key] ?? JobBackoffRecord() } }

    func update(_ key: String, _ record: JobBackoffRecord) { records.withLock { $0[key] = record } }

    func remove(_ key: String) { _ = records.withLock { $0.removeValue(forKey: key) } }
}
