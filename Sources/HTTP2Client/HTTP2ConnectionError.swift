/// No connection or stream could be had: the request was not sent (safe to retry).
public struct HTTP2ConnectionError: Error, Sendable, CustomStringConvertible {
    public var message: String

    public init(message: String) {
        self.message = message
    }

    public var description: String { message }
}
