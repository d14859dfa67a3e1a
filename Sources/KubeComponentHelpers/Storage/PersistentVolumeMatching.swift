import KubeModel

/// How a claim finds its volume (component-helpers `FindMatchingVolume`), for the PV
/// controller (no node) and the scheduler's VolumeBinding (with the node it filters).
public enum PersistentVolumeMatching {
    /// The node a scheduler checks a volume against.
    public struct Node: Sendable {
        public var name: String
        public var labels: [String: String]

        public init(name: String, labels: [String: String]) {
            self.name = name
            self.labels = labels
        }
    }

    /// The volume for `claim` among `volumes`: one pre-bound to the claim wins (nil if it does not
    /// fit the node); otherwise the smallest Available volume of the claim's class whose labels
    /// match the claim's selector, whose capacity covers the request, whose volume mode matches
    /// and whose node affinity allows the node, and (scheduler path) whose access modes cover
    /// the claim's. Volumes named in `excluded` (chosen for other claims), volumes bound to
    /// another claim and volumes being deleted never match. Without a node, claims of a
    /// WaitForFirstConsumer class (`delayBinding`) only take volumes pre-bound to them.
    public static func findMatchingVolume(
        for claim: CoreV1.PersistentVolumeClaim, in volumes: [CoreV1.PersistentVolume], node: Node?,
        excluding excluded: Set<String> = [], delayBinding: Bool
    ) throws(Labels.SelectorError) -> CoreV1.PersistentVolume? {
        let requested = claim.requestedStorage
        let requestedClass = claim.storageClass
        let selector: Labels.Selector? = claim.spec.selector == nil ? nil : try Labels.Selector(claim.spec.selector)
        var smallest: CoreV1.PersistentVolume?
        for volume in volumes {
            if excluded.contains(volume.metadata.name ?? "") { continue }
            if volume.spec.claimRef != nil && !volume.isBound(to: claim) { continue }
            let capacity = volume.storageCapacity
            if capacity < requested { continue }
            if volumeModesDiffer(claim, volume) { continue }
            if volume.metadata.deletionTimestamp != nil { continue }
            let nodeAllows = node.map { volume.nodeAffinityAllows(labels: $0.labels) } ?? true
            if volume.isBound(to: claim) { return nodeAllows ? volume : nil }
            if node == nil && delayBinding { continue }
            if volume.status.phase != "Available" { continue }
            if let selector, !selector.matches(volume.metadata.labels ?? [:]) { continue }
            if volume.storageClass != requestedClass { continue }
            if !nodeAllows { continue }
            if node != nil && !accessModesCovered(claim, volume) { continue }
            if smallest == nil || smallest!.storageCapacity > capacity { smallest = volume }
        }
        return smallest
    }

    /// Every access mode the claim asks for is one the volume has.
    public static func accessModesCovered(_ claim: CoreV1.PersistentVolumeClaim, _ volume: CoreV1.PersistentVolume) -> Bool {
        let offered = Set(volume.spec.accessModes ?? [])
        return (claim.spec.accessModes ?? []).allSatisfy { offered.contains($0) }
    }

    /// Claim and volume disagree on `volumeMode` (absent means Filesystem on both).
    public static func volumeModesDiffer(_ claim: CoreV1.PersistentVolumeClaim, _ volume: CoreV1.PersistentVolume) -> Bool {
        (claim.spec.volumeMode ?? "Filesystem") != (volume.spec.volumeMode ?? "Filesystem")
    }
}
