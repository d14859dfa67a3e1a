import HTTP2Client
import NIOCore
import NIOHTTP2

/// A response's status and headers.
struct ResponseHead: Sendable {
    var status: Int
    var headers: [(String, String)]

    /// Reads frames up to the final (non-1xx) HEADERS; `ended` when that frame ended the stream.
    static func read(
        from iterator: inout HTTP2StreamInbound.AsyncIterator, request: RESTRequest
    ) async throws -> (head: ResponseHead, ended: Bool) {
        do {
            while let frame = try await iterator.next() {
                switch frame {
                case .headers(let headers):
                    guard let status = headers.headers.first(name: ":status").flatMap({ Int($0) }) else {
                        throw RESTTransportError(message: "\(request.method) \(request.path): response without :status")
                    }
                    if (100..<200).contains(status) { continue }
                    let fields = headers.headers.filter { !$0.name.hasPrefix(":") }.map { ($0.name, $0.value) }
                    return (ResponseHead(status: status, headers: fields), headers.endStream)
                case .rstStream(let code):
                    throw RESTTransportError(message: "\(request.method) \(request.path): stream reset (\(code))")
                default:
                    continue
                }
            }
        } catch let error as RESTTransportError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw RESTTransportError(message: "\(request.method) \(request.path): \(error)")
        }
        throw RESTTransportError(message: "\(request.method) \(request.path): the connection closed before a response")
    }
}

/// The DATA of a response as byte chunks, ending with the stream.
struct ResponseBodyChunks: AsyncSequence, Sendable {
    typealias Element = [UInt8]
    typealias Inbound = HTTP2StreamInbound.AsyncIterator

    // The iterator is used by one consumer only, inside the stream's scope.
    nonisolated(unsafe) let iterator: Inbound
    let ended: Bool
    let request: RESTRequest

    struct AsyncIterator: AsyncIteratorProtocol {
        var inbound: Inbound
        var ended: Bool
        let request: RESTRequest

        mutating func next() async throws -> [UInt8]? {
            while !ended {
                let frame: HTTP2Frame.FramePayload?
                do {
                    frame = try await inbound.next()
                } catch is CancellationError {
                    throw CancellationError()
                } catch {
                    throw RESTTransportError(message: "\(request.method) \(request.path): \(error)")
                }
                guard let frame else {
                    throw RESTTransportError(message: "\(request.method) \(request.path): the response was cut off")
                }
                switch frame {
                case .data(let data):
                    ended = data.endStream
                    if case .byteBuffer(var buffer) = data.data, buffer.readableBytes > 0 {
                        return buffer.readBytes(length: buffer.readableBytes)
                    }
                case .headers(let trailers):
                    ended = trailers.endStream
                case .rstStream(let code):
                    throw RESTTransportError(message: "\(request.method) \(request.path): stream reset (\(code))")
                default:
                    continue
                }
            }
            return nil
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(inbound: iterator, ended: ended, request: request)
    }
}
