import KubeModel

/// What the informers report to the scheduler (applied in order on the scheduler's actor).
enum ClusterEvent: Sendable {
    case podAdded(CoreV1.Pod)
    case podUpdated(old: CoreV1.Pod, new: CoreV1.Pod)
    case podDeleted(CoreV1.Pod)
    case nodeAdded(CoreV1.Node)
    case nodeUpdated(old: CoreV1.Node, new: CoreV1.Node)
    case nodeDeleted(CoreV1.Node)
    /// A PersistentVolumeClaim, PersistentVolume or StorageClass was added or changed.
    case storageChanged
}

/// A write the scheduler makes in the background.
enum SchedulerWrite: Sendable {
    /// Bind the assumed pod to the node (after the profile's PreBind plugins, with the cycle's state).
    case bind(QueuedPodInfo, node: String, state: CycleState)
    /// Record why the pod fits nowhere (event, PodScheduled=False, and `nominatedNodeName`: set
    /// to a node, cleared by "", left alone by nil).
    case unschedulable(CoreV1.Pod, message: String, nominatedNode: String?)
    /// Evict these pods so the preemptor fits on the node.
    case preempt(victims: [CoreV1.Pod], preemptor: CoreV1.Pod, node: String)
}
