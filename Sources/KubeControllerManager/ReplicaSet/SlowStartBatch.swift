/// upstream's `slowStartBatch`: runs `count` calls of `body` in batches of 1, 2, 4, … (from
/// `initialBatchSize`), the calls of a batch concurrently; stops after the first batch with
/// a failure. Answers how many calls succeeded and the first error.
enum SlowStartBatch {
    static func run(count: Int, initialBatchSize: Int,
                    _ body: @escaping @Sendable () async throws -> Void) async -> (successes: Int, error: (any Error)?) {
        var remaining = count
        var successes = 0
        var batchSize = min(remaining, initialBatchSize)
        while batchSize > 0 {
            let size = batchSize
            let errors = await withTaskGroup(of: (any Error)?.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        do { try await body(); return nil } catch { return error }
                    }
                }
                var errors: [any Error] = []
                for await error in group { if let error { errors.append(error) } }
                return errors
            }
            successes += size - errors.count
            if let first = errors.first { return (successes, first) }
            remaining -= size
            batchSize = min(2 * size, remaining)
        }
        return (successes, nil)
    }
}
