/// How the manager makes one controller: its name (as `--controllers` names it), how many
/// workers it runs (upstream's `--concurrent-*-syncs`), and its constructor.
public struct ControllerDescriptor: Sendable {
    public var name: String
    public var workers: Int
    public var make: @Sendable (ControllerContext) -> any Controller

    public init(name: String, workers: Int, make: @escaping @Sendable (ControllerContext) -> any Controller) {
        self.name = name
        self.workers = workers
        self.make = make
    }
}
