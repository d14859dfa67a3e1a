import Foundation
import Synchronization

/// What the HorizontalPodAutoscaler remembers per autoscaler between passes (upstream's
/// `recommendations`, `scaleUpEvents`, `scaleDownEvents` maps): the unstabilized
/// recommendations of the stabilization windows and the scale changes the rate policies
/// count. Kept in memory, as upstream does; forgotten when the autoscaler is deleted.
public final class ScalingHistory: Sendable {
    /// One recommendation and when it was made.
    public struct Recommendation: Sendable, Equatable {
        public var replicas: Int32
        public var timestamp: Date
        public init(replicas: Int32, timestamp: Date) {
            self.replicas = replicas
            self.timestamp = timestamp
        }
    }

    /// One rescale: how many replicas were added (up) or removed (down), and when.
    public struct ScaleEvent: Sendable, Equatable {
        public var replicaChange: Int32
        public var timestamp: Date
        public var outdated: Bool
        public init(replicaChange: Int32, timestamp: Date, outdated: Bool = false) {
            self.replicaChange = replicaChange
            self.timestamp = timestamp
            self.outdated = outdated
        }
    }

    struct Entry {
        var recommendations: [Recommendation]?
        var scaleUpEvents: [ScaleEvent] = []
        var scaleDownEvents: [ScaleEvent] = []
    }

    private let entries = Mutex<[String: Entry]>([:])

    public init() {}

    public func recommendations(_ key: String) -> [Recommendation] { entries.withLock { $0[key]?.recommendations ?? [] } }
    public func scaleUpEvents(_ key: String) -> [ScaleEvent] { entries.withLock { $0[key]?.scaleUpEvents ?? [] } }
    public func scaleDownEvents(_ key: String) -> [ScaleEvent] { entries.withLock { $0[key]?.scaleDownEvents ?? [] } }

    /// Seeds or replaces the history of `key` (tests; upstream's tests set the maps directly).
    public func set(_ key: String, recommendations: [Recommendation]? = nil,
                    scaleUpEvents: [ScaleEvent]? = nil, scaleDownEvents: [ScaleEvent]? = nil) {
        entries.withLock { entries in
            var entry = entries[key] ?? Entry()
            if let recommendations { entry.recommendations = recommendations }
            if let scaleUpEvents { entry.scaleUpEvents = scaleUpEvents }
            if let scaleDownEvents { entry.scaleDownEvents = scaleDownEvents }
            entries[key] = entry
        }
    }

    func forget(_ key: String) { _ = entries.withLock { $0.removeValue(forKey: key) } }

    /// The first pass of an autoscaler records the current size as its first recommendation.
    func recordInitialRecommendation(_ key: String, currentReplicas: Int32, now: Date) {
        entries.withLock { entries in
            if entries[key]?.recommendations == nil {
                entries[key, default: Entry()].recommendations = [Recommendation(replicas: currentReplicas, timestamp: now)]
            }
        }
    }

    /// Upstream `stabilizeRecommendation` (no behavior): the highest recommendation within
    /// `window`, after recording `desired` in place of the last expired one.
    func stabilizeDownscale(_ key: String, desired: Int32, window: Duration, now: Date) -> Int32 {
        entries.withLock { entries in
            var entry = entries[key] ?? Entry()
            var list = entry.recommendations ?? []
            let cutoff = now.addingTimeInterval(-ReplicaCalculator.seconds(window))
            var highest = desired
            var oldIndex: Int?
            for (index, recommendation) in list.enumerated() {
                if recommendation.timestamp < cutoff {
                    oldIndex = index
                } else if recommendation.replicas > highest {
                    highest = recommendation.replicas
                }
            }
            let new = Recommendation(replicas: desired, timestamp: now)
            if let oldIndex { list[oldIndex] = new } else { list.append(new) }
            entry.recommendations = list
            entries[key] = entry
            return highest
        }
    }

    /// Upstream `stabilizeRecommendationWithBehaviors`: the current size moved up to the lowest
    /// recommendation of the scale-up window, or down to the highest of the scale-down window;
    /// `desired` is recorded in place of the last sample both windows have left behind.
    func stabilizeWithBehaviors(_ key: String, desired: Int32, current: Int32, upWindow: Duration,
                                downWindow: Duration, now: Date) -> (replicas: Int32, reason: String, message: String) {
        entries.withLock { entries in
            var entry = entries[key] ?? Entry()
            var list = entry.recommendations ?? []
            let upCutoff = now.addingTimeInterval(-ReplicaCalculator.seconds(upWindow))
            let downCutoff = now.addingTimeInterval(-ReplicaCalculator.seconds(downWindow))
            var upRecommendation = desired
            var downRecommendation = desired
            var oldIndex: Int?
            for (index, recommendation) in list.enumerated() {
                if recommendation.timestamp > upCutoff { upRecommendation = min(recommendation.replicas, upRecommendation) }
                if recommendation.timestamp > downCutoff { downRecommendation = max(recommendation.replicas, downRecommendation) }
                if recommendation.timestamp < upCutoff && recommendation.timestamp < downCutoff { oldIndex = index }
            }
            var recommendation = current
            if recommendation < upRecommendation { recommendation = upRecommendation }
            if recommendation > downRecommendation { recommendation = downRecommendation }
            let new = Recommendation(replicas: desired, timestamp: now)
            if let oldIndex { list[oldIndex] = new } else { list.append(new) }
            entry.recommendations = list
            entries[key] = entry
            if desired >= current {
                return (recommendation, "ScaleUpStabilized",
                        "recent recommendations were lower than current one, applying the lowest recent recommendation")
            }
            return (recommendation, "ScaleDownStabilized",
                    "recent recommendations were higher than current one, applying the highest recent recommendation")
        }
    }

    /// Upstream `storeScaleEvent`: records a rescale from `previous` to `new` replicas in place
    /// of an event older than the longest policy period of its direction.
    func storeScaleEvent(_ key: String, previous: Int32, new: Int32, longestUpPeriod: Int32, longestDownPeriod: Int32, now: Date) {
        entries.withLock { entries in
            var entry = entries[key] ?? Entry()
            let up = new > previous
            var events = up ? entry.scaleUpEvents : entry.scaleDownEvents
            let cutoff = now.addingTimeInterval(-TimeInterval(up ? longestUpPeriod : longestDownPeriod))
            var oldIndex: Int?
            for index in events.indices {
                if events[index].timestamp < cutoff { events[index].outdated = true }
                if events[index].outdated { oldIndex = index }
            }
            let event = ScaleEvent(replicaChange: up ? new - previous : previous - new, timestamp: now)
            if let oldIndex { events[oldIndex] = event } else { events.append(event) }
            if up { entry.scaleUpEvents = events } else { entry.scaleDownEvents = events }
            entries[key] = entry
        }
    }
}
