import KubeModel

/// Every controller `skiff` ships, in the order they start. Each entry is one line; the
/// controller's own folder holds its code.
extension ControllerManager {
    public static let builtInControllers: [ControllerDescriptor] = [
        ControllerDescriptor(name: ServiceAccountsController.controllerName, workers: 1) { ServiceAccountsController(context: $0) },
        ControllerDescriptor(name: GarbageCollector.controllerName, workers: 20) { GarbageCollector(context: $0) },
        ControllerDescriptor(name: NamespaceController.controllerName, workers: 10) { NamespaceController(context: $0) },
        ControllerDescriptor(name: NodeIPAMController.controllerName, workers: 1) { NodeIPAMController(context: $0) },
        ControllerDescriptor(name: NodeLifecycleController.controllerName, workers: 1) { NodeLifecycleController(context: $0) },
        ControllerDescriptor(name: TaintEvictionController.controllerName, workers: 1) { TaintEvictionController(context: $0) },
        ControllerDescriptor(name: PodGCController.controllerName, workers: 1) { PodGCController(context: $0) },
        ControllerDescriptor(name: EndpointsController.controllerName, workers: 5) { EndpointsController(context: $0) },
        ControllerDescriptor(name: EndpointSliceController.controllerName, workers: 5) { EndpointSliceController(context: $0) },
        ControllerDescriptor(name: AppsV1.ReplicaSet.controllerName, workers: 5) { ReplicaSetController<AppsV1.ReplicaSet>(context: $0) },
        ControllerDescriptor(name: CoreV1.ReplicationController.controllerName, workers: 5) { ReplicaSetController<CoreV1.ReplicationController>(context: $0) },
        ControllerDescriptor(name: DeploymentController.controllerName, workers: 5) { DeploymentController(context: $0) },
        ControllerDescriptor(name: DisruptionController.controllerName, workers: 1) { DisruptionController(context: $0) },
        ControllerDescriptor(name: ResourceQuotaController.controllerName, workers: 5) { ResourceQuotaController(context: $0) },
        ControllerDescriptor(name: JobController.controllerName, workers: 5) { JobController(context: $0) },
        ControllerDescriptor(name: CronJobController.controllerName, workers: 5) { CronJobController(context: $0) },
        ControllerDescriptor(name: TTLAfterFinishedController.controllerName, workers: 5) { TTLAfterFinishedController(context: $0) },
        ControllerDescriptor(name: StatefulSetController.controllerName, workers: 5) { StatefulSetController(context: $0) },
        ControllerDescriptor(name: DaemonSetController.controllerName, workers: 2) { DaemonSetController(context: $0) },
        ControllerDescriptor(name: PersistentVolumeController.controllerName, workers: 1) { PersistentVolumeController(context: $0) },
        ControllerDescriptor(name: PVCProtectionController.controllerName, workers: 1) { PVCProtectionController(context: $0) },
        ControllerDescriptor(name: PVProtectionController.controllerName, workers: 1) { PVProtectionController(context: $0) },
        ControllerDescriptor(name: HorizontalPodAutoscalerController.controllerName, workers: 5) { HorizontalPodAutoscalerController(context: $0) },
    ]
}
