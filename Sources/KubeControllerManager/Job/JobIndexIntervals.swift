/// A set of completion indexes kept as ordered, non-overlapping, non-adjacent closed
/// intervals: what `status.completedIndexes` and `status.failedIndexes` hold, written as
/// upstream writes them (`1,3-5`; two neighbours as `1,2`).
struct JobIndexIntervals: Sendable, Equatable, CustomStringConvertible {
    struct Interval: Sendable, Equatable {
        var first: Int
        var last: Int
    }

    private(set) var intervals: [Interval]

    init(_ intervals: [Interval] = []) {
        self.intervals = intervals
    }

    /// Reads `text` (`0,2-4`), dropping what lies at or beyond `completions`, ignoring items
    /// that are not numbers, and joining intervals that touch.
    static func parse(_ text: String?, completions: Int) -> JobIndexIntervals {
        guard let text, !text.isEmpty else { return JobIndexIntervals() }
        var result: [Interval] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard let first = Int(bounds[0]) else { continue }
            if first >= completions { break }
            var last = first
            if bounds.count > 1 {
                guard let end = Int(bounds[1]) else { continue }
                last = min(end, completions - 1)
            }
            if let previous = result.last, previous.last == first - 1 {
                result[result.count - 1].last = last
            } else {
                result.append(Interval(first: first, last: last))
            }
        }
        return JobIndexIntervals(result)
    }

    /// This set with `indexes` (ascending) added.
    func adding(_ indexes: [Int]) -> JobIndexIntervals {
        merging(JobIndexIntervals(indexes.map { Interval(first: $0, last: $0) }))
    }

    /// The union of this set and `other`.
    func merging(_ other: JobIndexIntervals) -> JobIndexIntervals {
        var result: [Interval] = []
        func append(_ interval: Interval) {
            if let last = result.last, interval.first <= last.last + 1 {
                result[result.count - 1].last = max(last.last, interval.last)
            } else {
                result.append(interval)
            }
        }
        var i = 0, j = 0
        while i < intervals.count && j < other.intervals.count {
            if intervals[i].first < other.intervals[j].first {
                append(intervals[i]); i += 1
            } else {
                append(other.intervals[j]); j += 1
            }
        }
        while i < intervals.count { append(intervals[i]); i += 1 }
        while j < other.intervals.count { append(other.intervals[j]); j += 1 }
        return JobIndexIntervals(result)
    }

    /// How many indexes the set holds.
    var total: Int { intervals.reduce(0) { $0 + $1.last - $1.first + 1 } }

    var isEmpty: Bool { intervals.isEmpty }

    func contains(_ index: Int) -> Bool {
        var low = 0, high = intervals.count
        while low < high {
            let middle = (low + high) / 2
            if intervals[middle].last >= index { high = middle } else { low = middle + 1 }
        }
        return high < intervals.count && intervals[high].first <= index
    }

    var description: String {
        intervals.map { interval in
            if interval.last == interval.first { return "\(interval.first)" }
            let separator = interval.last == interval.first + 1 ? "," : "-"
            return "\(interval.first)\(separator)\(interval.last)"
        }.joined(separator: ",")
    }
}
