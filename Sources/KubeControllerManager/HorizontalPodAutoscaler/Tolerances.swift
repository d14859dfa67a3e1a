/// The usage ratios within which the HorizontalPodAutoscaler does not scale (upstream
/// `Tolerances`: `--horizontal-pod-autoscaler-tolerance` both ways unless a behavior sets one).
struct Tolerances: Sendable, Equatable {
    var scaleDown: Double
    var scaleUp: Double

    init(scaleDown: Double, scaleUp: Double) {
        self.scaleDown = scaleDown
        self.scaleUp = scaleUp
    }

    init(_ both: Double) { self.init(scaleDown: both, scaleUp: both) }

    func isWithin(_ usageRatio: Double) -> Bool {
        (1.0 - scaleDown) <= usageRatio && usageRatio <= (1.0 + scaleUp)
    }
}
