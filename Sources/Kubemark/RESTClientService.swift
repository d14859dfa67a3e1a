import KubeClient
import ServiceLifecycle

/// Keeps a ``RESTClient``'s connection as a service: list it before the services that use the
/// client, so that a graceful shutdown closes it after they stopped.
public struct RESTClientService: Service {
    public let client: RESTClient

    public init(client: RESTClient) {
        self.client = client
    }

    public func run() async throws {
        let client = client
        try await withGracefulShutdownHandler {
            try await client.run()
        } onGracefulShutdown: {
            client.close()
        }
    }
}
