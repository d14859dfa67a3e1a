import ArgumentParser

struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "server",
        abstract: "Run the control plane: API server, store, scheduler, controller manager and, unless disabled, a node agent.",
        discussion: """
        On first start the server creates a cluster CA, serving and admin certificates in the data
        directory and writes DATA_DIR/kubeconfig.yaml for the stock kubectl.
        """
    )

    @Option(name: .long, help: "Directory for the database, certificates and kubeconfig (default: /var/lib/skiff as root, else ~/.local/share/skiff).")
    var dataDir: String?

    @Option(name: .long, help: "HTTPS port of the API server.")
    var httpsPort: Int = 6443

    @Flag(name: .long, help: "Do not run the node agent (kubelet and kube-proxy) in this process.")
    var disableAgent = false

    func run() async throws {
        throw NotYetAvailable(what: "The API server", tracking: "issue #3")
    }
}
