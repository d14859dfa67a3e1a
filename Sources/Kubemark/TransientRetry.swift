import Foundation
import KubeClient

/// Retries of API calls that failed for reasons that pass (client-go's `retry.OnError` with the
/// kubelet's backoff): the connection dropped, the server is busy or unavailable (429, 5xx), or
/// a write lost a race (409 Conflict). Anything else — a request the server refuses for what it
/// is — is thrown at once.
enum TransientRetry {
    /// Whether `error` is worth retrying.
    static func isTransient(_ error: any Error) -> Bool {
        if let status = error as? StatusError {
            return status.isConflict || status.code == 429 || status.code >= 500 || status.code == 0
        }
        // Connection failures surface as transport (or NIO) errors; a body that does not decode
        // will not decode next time either.
        return !(error is CancellationError) && !(error is DecodingError)
    }

    /// Runs `operation` until it succeeds, a non-transient error is thrown, or `attempts` is
    /// used up (nil: no limit); waits 200 ms doubling to 7 s between attempts.
    static func run<Result: Sendable>(
        attempts: Int? = nil, _ operation: () async throws -> Result
    ) async throws -> Result {
        var delay = Duration.milliseconds(200)
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await operation()
            } catch {
                guard isTransient(error), attempts.map({ attempt < $0 }) ?? true else { throw error }
                if let status = error as? StatusError, status.isConflict, attempt <= 5 {
                    // A lost race is retried at once (with fresh state), as `RetryOnConflict`.
                    try Task.checkCancellation()
                    continue
                }
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(7))
            }
        }
    }
}
