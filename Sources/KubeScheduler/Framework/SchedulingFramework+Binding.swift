import KubeModel

extension SchedulingFramework {
    /// Every Reserve plugin in order; when one fails, those already run are unreserved (in
    /// reverse) and its status is answered.
    public func runReserve(_ state: CycleState, pod: PodInfo, nodeName: String) -> PluginStatus {
        for (position, plugin) in profile.reserve.enumerated() {
            var status = plugin.reserve(state, pod: pod, nodeName: nodeName)
            if !status.isSuccess {
                status.plugin = plugin.name
                for earlier in profile.reserve[...position].reversed() { earlier.unreserve(state, pod: pod, nodeName: nodeName) }
                return status
            }
        }
        return .success
    }

    /// Every Reserve plugin's `unreserve`, in reverse order (a later step failed).
    public func runUnreserve(_ state: CycleState, pod: PodInfo, nodeName: String) {
        for plugin in profile.reserve.reversed() { plugin.unreserve(state, pod: pod, nodeName: nodeName) }
    }

    /// Every PreBind plugin in order; the first failure stops the binding.
    public func runPreBind(_ state: CycleState, pod: PodInfo, nodeName: String, handle: any PreBindHandle) async -> PluginStatus {
        for plugin in profile.preBind {
            var status = await plugin.preBind(state, pod: pod, nodeName: nodeName, handle: handle)
            if !status.isSuccess {
                status.plugin = plugin.name
                return status
            }
        }
        return .success
    }
}
