/// Keys waiting for a time (the delaying queue's heap): each key once, at the earliest time it
/// was scheduled for.
struct DelayHeap<Key: Hashable & Sendable>: Sendable {
    private var heap: [(due: ContinuousClock.Instant, key: Key)] = []
    private var dueByKey: [Key: ContinuousClock.Instant] = [:]

    var earliest: ContinuousClock.Instant? { heap.first?.due }
    var count: Int { dueByKey.count }

    mutating func schedule(_ key: Key, at due: ContinuousClock.Instant) {
        if let current = dueByKey[key], current <= due { return }
        dueByKey[key] = due
        heap.append((due, key))
        siftUp(heap.count - 1)
    }

    /// The next key whose time has come (entries superseded by an earlier time are skipped).
    mutating func popDue(now: ContinuousClock.Instant) -> Key? {
        while let top = heap.first, top.due <= now {
            removeTop()
            if dueByKey[top.key] == top.due {
                dueByKey[top.key] = nil
                return top.key
            }
        }
        return nil
    }

    private mutating func removeTop() {
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        var index = 0
        while true {
            let left = 2 * index + 1, right = left + 1
            var smallest = index
            if left < heap.count && heap[left].due < heap[smallest].due { smallest = left }
            if right < heap.count && heap[right].due < heap[smallest].due { smallest = right }
            if smallest == index { return }
            heap.swapAt(index, smallest)
            index = smallest
        }
    }

    private mutating func siftUp(_ start: Int) {
        var index = start
        while index > 0 {
            let parent = (index - 1) / 2
            if heap[parent].due <= heap[index].due { return }
            heap.swapAt(parent, index)
            index = parent
        }
    }
}
