import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// Answers the requests of one HTTP/2 connection: each request whole (``HTTP2StreamRequest``)
/// in a child task of the connection, through the ``APIResponder``, its response written to the
/// request's stream. The tasks run on the server's event loops in turn (``RequestExecutors``).
struct HTTP2StreamServer: Sendable {
    let responder: APIResponder

    /// Serves until the connection's requests end (the connection closed); returns once every
    /// response is written.
    func serve(_ requests: AsyncStream<HTTP2StreamRequest>, logger: Logger) async {
        await withDiscardingTaskGroup { group in
            var pinned: EventLoopTaskExecutor?
            var spread: Bool?
            var peer: ConnectionPeer?
            let executors = RequestExecutors.shared
            for await request in requests {
                if spread == nil { spread = executors.includes(request.connection.eventLoop) }
                if spread == false && pinned == nil { pinned = EventLoopTaskExecutor(request.connection.eventLoop) }
                if peer == nil { peer = await ConnectionPeer(connection: request.connection) }
                let executor = spread == true ? executors.next() : pinned
                group.addTask(executorPreference: executor) { [peer] in await answer(request, peer: peer, logger: logger) }
            }
        }
    }

    func answer(_ request: HTTP2StreamRequest, peer: ConnectionPeer?, logger: Logger) async {
        var context = APIRequestContext(source: ApplicationRequestContextSource(channel: request.connection, logger: logger))
        context.streamClosed = request.closed
        context.peer = peer
        var response: Response
        do {
            response = try await responder.respond(
                to: Request(head: request.head, body: RequestBody(buffer: request.body)), context: context)
        } catch {
            logger.debug("request failed: \(error)")
            response = Response(status: .internalServerError, body: ResponseBody())
        }
        response.headers[.date] = HTTPDate.now()
        let streamed = response.body.contentLength == nil
        var writer = HTTP2StreamResponseWriter(
            stream: request.stream, head: response.head, streamed: streamed,
            omitBody: request.head.method == .head)
        do {
            try await writer.start()
            try await response.body.write(writer)
        } catch {
            // The client went away (stream reset or connection closed): nothing left to answer.
            logger.trace("response not written: \(error)")
        }
    }
}
