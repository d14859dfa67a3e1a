/// The authenticated user of a request (from a client certificate's CN/O, or a bearer token).
public struct UserInfo: Equatable, Sendable {
    public var name: String
    public var uid: String
    public var groups: [String]

    public init(name: String, uid: String = "", groups: [String] = []) {
        self.name = name
        self.uid = uid
        self.groups = groups
    }
}
