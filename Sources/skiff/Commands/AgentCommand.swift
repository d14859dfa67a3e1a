import ArgumentParser

struct AgentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agent",
        abstract: "Run a node: kubelet (pods through CRI on containerd) and kube-proxy, joined to a server."
    )

    @Option(name: .long, help: "URL of the server to join, e.g. https://10.0.0.1:6443.")
    var server: String?

    @Option(name: .long, help: "Join token printed by the server.")
    var token: String?

    func run() async throws {
        throw NotYetAvailable(what: "The node agent", tracking: "a later issue")
    }
}
