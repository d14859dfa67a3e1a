import HTTP2Client
import NIOCore
import NIOHPACK
import NIOHTTP2

/// A call's response messages, in order. Iteration ends after the last message when the server's
/// status is OK, and throws a ``GRPCError`` (after the messages received before it) otherwise, or
/// when the stream fails. Iterate it once.
public struct GRPCResponseMessages: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let inbound: HTTP2StreamInbound
    let path: String

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inbound: inbound.makeAsyncIterator(), path: path)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var inbound: HTTP2StreamInbound.AsyncIterator
        let path: String
        var deframer = GRPCMessageDeframer()
        var receivedHeaders = false
        var finished = false
        /// The call's failure, thrown once the messages before it are consumed.
        var failure: GRPCError?

        public mutating func next() async throws -> [UInt8]? {
            while true {
                if let message = try deframer.next() { return message }
                if finished {
                    if let failure { throw failure }
                    if deframer.hasPartialMessage {
                        throw GRPCError(code: .internal, message: "\(path): the response ends inside a message")
                    }
                    return nil
                }
                let frame: HTTP2Frame.FramePayload?
                do {
                    frame = try await inbound.next()
                } catch {
                    throw Self.streamError(error, path: path)
                }
                guard let frame else {
                    try Task.checkCancellation()
                    throw GRPCError(code: .unavailable, message: "\(path): the stream closed before the server sent a status")
                }
                try receive(frame)
            }
        }

        private mutating func receive(_ frame: HTTP2Frame.FramePayload) throws {
            switch frame {
            case .headers(let headers) where !receivedHeaders:
                receivedHeaders = true
                if headers.endStream { return finish(GRPCError.status(fromTrailers: headers.headers)) }
                let status = headers.headers.first(name: ":status") ?? ""
                guard status == "200" else {
                    return finish(GRPCError(code: .forHTTPStatus(Int(status) ?? 0), message: "\(path): HTTP status \(status)"))
                }
                let contentType = headers.headers.first(name: "content-type") ?? ""
                guard contentType.hasPrefix("application/grpc") else {
                    return finish(GRPCError(code: .unknown, message: "\(path): unexpected content-type '\(contentType)'"))
                }
            case .headers(let trailers):
                finish(GRPCError.status(fromTrailers: trailers.headers))
            case .data(let data):
                guard receivedHeaders else {
                    throw GRPCError(code: .internal, message: "\(path): DATA before the response headers")
                }
                if case .byteBuffer(let bytes) = data.data { deframer.append(bytes) }
                if data.endStream {
                    finish(GRPCError(code: .internal, message: "\(path): the response ended without trailers"))
                }
            default:
                break
            }
        }

        private mutating func finish(_ failure: GRPCError?) {
            finished = true
            self.failure = failure
        }

        /// Maps a stream channel's error: a reset from the server, or the connection going away.
        static func streamError(_ error: any Error, path: String) -> any Error {
            if error is CancellationError || error is GRPCError { return error }
            if let reset = error as? NIOHTTP2Errors.StreamClosed {
                let code: GRPCStatusCode = switch reset.errorCode {
                case .cancel: .cancelled
                case .refusedStream: .unavailable
                default: .internal
                }
                return GRPCError(code: code, message: "\(path): the server reset the stream (\(reset.errorCode))")
            }
            return GRPCError(code: .unavailable, message: "\(path): \(error)")
        }
    }
}
