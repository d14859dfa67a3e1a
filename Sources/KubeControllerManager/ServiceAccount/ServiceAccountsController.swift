import KubeClient
import KubeModel
import Logging

/// upstream's `serviceaccount-controller`: every active namespace has a `default`
/// ServiceAccount; one deleted is made again.
public struct ServiceAccountsController: Controller {
    public static let controllerName = "serviceaccount-controller"
    /// The accounts every namespace gets (upstream's `--service-account-names` default).
    public static let accountNames = ["default"]

    public var name: String { Self.controllerName }
    let client: any ObjectClient
    let namespaces: Lister<CoreV1.Namespace>
    let serviceAccounts: Lister<CoreV1.ServiceAccount>
    let queue: ControllerQueue

    public init(context: ControllerContext) {
        client = context.client
        let namespaceInformer = context.informers.informer(CoreV1.Namespace.self)
        let accountInformer = context.informers.informer(CoreV1.ServiceAccount.self)
        namespaces = namespaceInformer.lister
        serviceAccounts = accountInformer.lister
        let queue = ControllerQueue(name: Self.controllerName, logger: context.logger)
        self.queue = queue
        namespaceInformer.addEventHandler(EventHandler(
            onAdd: { queue.add($0.metadata.name ?? "") },
            onUpdate: { _, namespace in queue.add(namespace.metadata.name ?? "") }))
        accountInformer.addEventHandler(EventHandler(onDelete: { account in
            guard Self.accountNames.contains(account.metadata.name ?? "") else { return }
            queue.add(account.metadata.namespace ?? "")
        }))
    }

    public func run(workers: Int) async {
        await queue.run(workers: workers) { try await reconcile($0) }
    }

    /// Makes the missing accounts of namespace `key`, unless it is gone or terminating.
    public func reconcile(_ key: String) async throws {
        guard let namespace = namespaces.get(name: key),
              namespace.metadata.deletionTimestamp == nil, namespace.status.phase != "Terminating" else { return }
        for accountName in Self.accountNames where serviceAccounts.get(namespace: key, name: accountName) == nil {
            var account = CoreV1.ServiceAccount()
            account.metadata.name = accountName
            account.metadata.namespace = key
            do {
                _ = try await client.create(account)
            } catch let error as StatusError where error.isAlreadyExists {
                // Made by someone else since the cache last saw it.
            } catch let error as StatusError where error.reason == "Forbidden" && error.message.contains("being terminated") {
                // The namespace started terminating meanwhile.
            }
        }
    }
}
