/// A rate-limited work queue of keys, with client-go's semantics (`workqueue.TypedRateLimitingInterface`):
///
/// - a key added several times before a worker takes it is queued once;
/// - a key is never handed to two workers at once: added while being processed, it is queued
///   again only when the worker calls `done`;
/// - `addAfter` delays a key (the earliest requested time wins), `addRateLimited` delays it by
///   the rate limiter, `forget` clears its failure history;
/// - after `shutDown`, adds are ignored and `get` hands out what is still queued, then nil.
///
/// Event handlers call `add`; workers loop on `get` … `done`.
public actor WorkQueue<Key: Hashable & Sendable> {
    private var queue: [Key] = []
    private var head = 0
    private var dirty: Set<Key> = []
    private var processing: Set<Key> = []
    private var delayed = DelayHeap<Key>()
    private var rateLimiter: any RateLimiter<Key>
    private var shuttingDown = false
    private let changes = ChangeSignal()
    /// Whether an idle worker is sleeping until the earliest delayed key is due. Only one does;
    /// the others wait for a key to be added, each added key waking one of them.
    private var timerWorker = false

    public init(rateLimiter: any RateLimiter<Key> = MaxOfRateLimiter<Key>.controllerDefault) {
        self.rateLimiter = rateLimiter
    }

    /// Keys waiting to be taken (not the delayed ones, nor those being processed).
    public var count: Int {
        promoteDue()
        return queue.count - head
    }

    public var isShuttingDown: Bool { shuttingDown }

    public func add(_ key: Key) {
        guard !shuttingDown, dirty.insert(key).inserted else { return }
        if processing.contains(key) { return }
        queue.append(key)
        changes.notifyOne()
    }

    /// Adds `key` once `delay` has passed (at once for a zero or negative delay).
    public func addAfter(_ key: Key, _ delay: Duration) {
        guard !shuttingDown else { return }
        guard delay > .zero else { return add(key) }
        let due = ContinuousClock.now + delay
        let earliest = delayed.earliest
        delayed.schedule(key, at: due)
        // Only a new earliest time changes when the sleeping worker must wake; which waiter
        // sleeps on the timer is not known here, so all of them look.
        if earliest.map({ due < $0 }) ?? true { changes.notify() }
    }

    /// Adds `key` after the rate limiter's delay for it (one more failure on its record).
    public func addRateLimited(_ key: Key) {
        addAfter(key, rateLimiter.when(key, now: .now))
    }

    /// Clears `key`'s failure history (after it was processed successfully).
    public func forget(_ key: Key) { rateLimiter.forget(key) }

    public func retries(_ key: Key) -> Int { rateLimiter.retries(key) }

    /// The next key to process, waiting for one; nil once shut down and empty (or cancelled).
    public func get() async -> Key? {
        while true {
            promoteDue()
            if head < queue.count {
                let key = queue[head]
                head += 1
                if head > 64 && head * 2 > queue.count {
                    queue.removeFirst(head)
                    head = 0
                }
                processing.insert(key)
                dirty.remove(key)
                // Leaving to process a key, a worker must not leave delayed keys without
                // anyone sleeping until they are due: an idle worker takes that over.
                if !timerWorker && delayed.earliest != nil { changes.notifyOne() }
                return key
            }
            if shuttingDown || Task.isCancelled { return nil }
            let seen = changes.generation
            if !timerWorker, let due = delayed.earliest {
                timerWorker = true
                await changes.wait(after: seen, until: due)
                timerWorker = false
            } else {
                await changes.wait(after: seen, until: nil)
            }
        }
    }

    /// Marks `key` processed; if it was added meanwhile, it is queued again.
    public func done(_ key: Key) {
        processing.remove(key)
        if dirty.contains(key) {
            queue.append(key)
            changes.notifyOne()
        }
    }

    /// Stops accepting keys; waiting workers get the rest of the queue, then nil.
    public func shutDown() {
        shuttingDown = true
        delayed = DelayHeap()
        changes.notify()
    }

    private func promoteDue() {
        let now = ContinuousClock.now
        while let key = delayed.popDue(now: now) { add(key) }
    }
}
