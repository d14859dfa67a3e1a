import KubeModel

extension SchedulerProfile {
    /// Upstream's default profile (`getDefaultPlugins`, the in-tree plugins Skiff has), in
    /// upstream's order, with its score weights: TaintToleration 3, NodeAffinity 2,
    /// PodTopologySpread 2, InterPodAffinity 2, NodeResourcesFit 1,
    /// NodeResourcesBalancedAllocation 1, ImageLocality 1.
    ///
    /// The volume plugins (VolumeRestrictions, VolumeBinding, VolumeZone) read claims, volumes and
    /// classes from the snapshot's ``ClusterSnapshot/volumes``; VolumeBinding keeps its assumed
    /// volumes in `assumedVolumes`.
    ///
    /// `namespaceLabels` lets InterPodAffinity evaluate `namespaceSelector`s.
    public static func `default`(schedulerName: String = "default-scheduler",
                                 namespaceLabels: (@Sendable (String) -> [String: String]?)? = nil,
                                 assumedVolumes: AssumedVolumes = AssumedVolumes()) -> SchedulerProfile {
        let nodeUnschedulable = NodeUnschedulable()
        let nodeName = NodeName()
        let taintToleration = TaintToleration()
        let nodeAffinity = NodeAffinity()
        let nodePorts = NodePorts()
        let fit = NodeResourcesFit()
        let spread = PodTopologySpread()
        let interPodAffinity = InterPodAffinity(namespaceLabels: namespaceLabels)
        let balanced = NodeResourcesBalancedAllocation()
        let imageLocality = ImageLocality()
        let volumeRestrictions = VolumeRestrictions()
        let volumeBinding = VolumeBinding(assumed: assumedVolumes)
        let volumeZone = VolumeZone()
        return SchedulerProfile(
            schedulerName: schedulerName,
            preFilter: [nodeAffinity, nodePorts, fit, volumeRestrictions, volumeBinding, volumeZone, spread, interPodAffinity],
            filter: [nodeUnschedulable, nodeName, taintToleration, nodeAffinity, nodePorts, fit, volumeRestrictions, volumeBinding,
                     volumeZone, spread, interPodAffinity],
            postFilter: [DefaultPreemption()],
            preScore: [taintToleration, nodeAffinity, spread, interPodAffinity, balanced, imageLocality],
            score: [
                WeightedScorePlugin(taintToleration, weight: 3),
                WeightedScorePlugin(nodeAffinity, weight: 2),
                WeightedScorePlugin(fit, weight: 1),
                WeightedScorePlugin(spread, weight: 2),
                WeightedScorePlugin(interPodAffinity, weight: 2),
                WeightedScorePlugin(balanced, weight: 1),
                WeightedScorePlugin(imageLocality, weight: 1),
            ],
            reserve: [volumeBinding],
            preBind: [volumeBinding])
    }
}
