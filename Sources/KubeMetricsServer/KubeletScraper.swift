import KubeClient
import KubeModel

/// Reads a kubelet's `/metrics/resource` over plaintext HTTP/2 (h2c, as hollow nodes serve it)
/// with a time limit, one short-lived connection per scrape.
public struct KubeletScraper: Sendable {
    public static let path = "/metrics/resource"

    public var timeout: Duration

    public init(timeout: Duration) {
        self.timeout = timeout
    }

    /// Node address types in the order they are tried (metrics-server's
    /// `--kubelet-preferred-address-types`, with InternalIP first: hollow nodes' hostnames do not resolve).
    public static let preferredAddressTypes = ["InternalIP", "ExternalIP", "Hostname", "InternalDNS", "ExternalDNS"]

    /// Where `node`'s kubelet listens; nil when it reports no address or port.
    public static func endpoint(of node: CoreV1.Node) -> (host: String, port: Int)? {
        guard let port = node.status.daemonEndpoints?.kubeletEndpoint?.Port, port > 0 else { return nil }
        let addresses = node.status.addresses ?? []
        for type in preferredAddressTypes {
            if let address = addresses.first(where: { $0.type == type })?.address, !address.isEmpty {
                return (address, Int(port))
            }
        }
        return nil
    }

    /// The endpoint's exposition text; throws on connection failures, non-2xx answers and timeouts.
    public func scrape(host: String, port: Int) async throws -> String {
        var config = RESTConfig(host: host, port: port, useTLS: false)
        config.qps = 0
        config.maxRetries = 0
        config.userAgent = "skiff-metrics-server"
        let client = try RESTClient(config: config)
        let timeout = self.timeout
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                try await client.run()
                return nil
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw ScrapeTimeout(host: host, port: port)
            }
            group.addTask {
                defer { client.close() }
                let response = try await client.send(RESTRequest(method: "GET", path: Self.path))
                return String(decoding: response.body, as: UTF8.self)
            }
            defer {
                group.cancelAll()
                client.close()
            }
            while let next = try await group.next() {
                if let text = next { return text }
            }
            throw ScrapeTimeout(host: host, port: port)
        }
    }
}

/// A kubelet that did not answer in time.
public struct ScrapeTimeout: Error, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var description: String { "timed out scraping \(host):\(port)\(KubeletScraper.path)" }
}
