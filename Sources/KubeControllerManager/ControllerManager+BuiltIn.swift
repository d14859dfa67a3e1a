/// Every controller `skiff` ships, in the order they start. Each entry is one line; the
/// controller's own folder holds its code.
extension ControllerManager {
    public static let builtInControllers: [ControllerDescriptor] = [
        ControllerDescriptor(name: ServiceAccountsController.controllerName, workers: 1) { ServiceAccountsController(context: $0) },
    ]
}
