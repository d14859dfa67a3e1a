/// A binary heap whose elements have keys, so an element can be found, replaced or removed
/// by key in O(log n) (upstream's `internal/heap`). `precedes(a, b)`: a comes out first.
struct KeyedHeap<Element: Sendable>: Sendable {
    private var elements: [Element] = []
    private var positions: [String: Int] = [:]
    private let key: @Sendable (Element) -> String
    private let precedes: @Sendable (Element, Element) -> Bool

    init(key: @escaping @Sendable (Element) -> String, precedes: @escaping @Sendable (Element, Element) -> Bool) {
        self.key = key
        self.precedes = precedes
    }

    var count: Int { elements.count }
    var isEmpty: Bool { elements.isEmpty }
    var first: Element? { elements.first }
    var all: [Element] { elements }

    func contains(_ key: String) -> Bool { positions[key] != nil }
    func element(_ key: String) -> Element? { positions[key].map { elements[$0] } }

    /// Inserts, or replaces the element with the same key.
    mutating func upsert(_ element: Element) {
        let elementKey = key(element)
        if let position = positions[elementKey] {
            elements[position] = element
            fix(position)
        } else {
            elements.append(element)
            positions[elementKey] = elements.count - 1
            siftUp(elements.count - 1)
        }
    }

    @discardableResult
    mutating func remove(_ elementKey: String) -> Element? {
        guard let position = positions[elementKey] else { return nil }
        return remove(at: position)
    }

    mutating func popFirst() -> Element? {
        elements.isEmpty ? nil : remove(at: 0)
    }

    private mutating func remove(at position: Int) -> Element {
        let last = elements.count - 1
        if position != last { swap(position, last) }
        let removed = elements.removeLast()
        positions[key(removed)] = nil
        if position < elements.count { fix(position) }
        return removed
    }

    private mutating func fix(_ position: Int) {
        if position > 0 && precedes(elements[position], elements[(position - 1) / 2]) {
            siftUp(position)
        } else {
            siftDown(position)
        }
    }

    private mutating func swap(_ a: Int, _ b: Int) {
        elements.swapAt(a, b)
        positions[key(elements[a])] = a
        positions[key(elements[b])] = b
    }

    private mutating func siftUp(_ start: Int) {
        var child = start
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(elements[child], elements[parent]) else { return }
            swap(child, parent)
            child = parent
        }
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            guard left < elements.count else { return }
            var best = left
            if left + 1 < elements.count && precedes(elements[left + 1], elements[left]) { best = left + 1 }
            guard precedes(elements[best], elements[parent]) else { return }
            swap(best, parent)
            parent = best
        }
    }
}
