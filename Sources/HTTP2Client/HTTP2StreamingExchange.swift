import NIOCore
import NIOHPACK
import NIOHTTP2

/// The receiver of a stream whose frames are read as they come (a watch, a gRPC streaming
/// call): inbound frames go to an ``HTTP2StreamInbound`` with back-pressure (credit is withheld
/// while its buffer is full), outbound ones come from an ``HTTP2StreamOutbound``. Lives on the
/// connection's event loop.
final class HTTP2StreamingExchange: HTTP2StreamReceiver {
    typealias Producer = NIOThrowingAsyncSequenceProducer<
        HTTP2Frame.FramePayload, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, Delegate
    >

    private let table: HTTP2StreamTable
    private var source: Producer.Source?
    private(set) var streamID: HTTP2StreamID?
    /// The stream closed (or never opened): nothing to reset.
    private var ended = false

    init(table: HTTP2StreamTable) {
        self.table = table
    }

    /// Opens the stream with `headers` (flushed) and returns its inbound frames, or nil when the
    /// connection takes no new streams. `box` is this exchange, bound to its event loop.
    func open(headers: HPACKHeaders, endStream: Bool, box: NIOLoopBound<HTTP2StreamingExchange>) -> HTTP2StreamInbound? {
        let made = Producer.makeSequence(
            backPressureStrategy: .init(lowWatermark: 2, highWatermark: 16), finishOnDeinit: false,
            delegate: Delegate(exchange: box))
        source = made.source
        guard let id = table.open(self, headers: .headers(.init(headers: headers, endStream: endStream)), written: nil) else {
            return nil
        }
        streamID = id
        table.flush()
        return HTTP2StreamInbound(producer: made.sequence)
    }

    func write(_ payload: HTTP2Frame.FramePayload, promise: EventLoopPromise<Void>) {
        guard let streamID, !ended else {
            promise.fail(HTTP2StreamError(message: "the stream is closed"))
            return
        }
        table.write(payload, on: streamID, promise: promise)
        table.flush()
    }

    /// The caller is done with the stream: reset it if still open, end the inbound frames.
    func finish() {
        if !ended, let streamID { table.reset(streamID) }
        ended = true
        source?.finish()
        source = nil
    }

    func receive(_ payload: HTTP2Frame.FramePayload) -> Bool {
        switch source?.yield(payload) {
        case .stopProducing: false
        case .produceMore, .dropped, nil: true
        }
    }

    func streamClosed(reason: HTTP2ErrorCode?, error: (any Error)?) {
        ended = true
        if let error {
            source?.finish(error)
        } else if let reason, let streamID {
            source?.finish(NIOHTTP2Errors.streamClosed(streamID: streamID, errorCode: reason))
        } else {
            source?.finish()
        }
        source = nil
    }

    fileprivate func resumeInbound() {
        if let streamID, !ended { table.resume(streamID) }
    }

    /// Told by the inbound sequence when its buffer has room again.
    struct Delegate: NIOAsyncSequenceProducerDelegate {
        let exchange: NIOLoopBound<HTTP2StreamingExchange>

        func produceMore() {
            let exchange = exchange
            exchange.eventLoop.execute { exchange.value.resumeInbound() }
        }

        func didTerminate() {
            // The reader is gone; the stream is reset when the caller's body returns.
        }
    }
}

/// The frames a stream receives, in order; the sequence ends when the stream does (throwing
/// when it was reset or the connection failed). Iterate it once.
public struct HTTP2StreamInbound: AsyncSequence, Sendable {
    public typealias Element = HTTP2Frame.FramePayload

    let producer: HTTP2StreamingExchange.Producer

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: producer.makeAsyncIterator())
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var base: HTTP2StreamingExchange.Producer.AsyncIterator

        public mutating func next() async throws -> HTTP2Frame.FramePayload? {
            try await base.next()
        }
    }
}

/// Sends a stream's frames after its HEADERS.
public struct HTTP2StreamOutbound: Sendable {
    let exchange: NIOLoopBound<HTTP2StreamingExchange>

    /// Writes one frame (flushed) and waits until it is written; throws when the stream or the
    /// connection is gone.
    public func write(_ payload: HTTP2Frame.FramePayload) async throws {
        let exchange = exchange
        let promise = exchange.eventLoop.makePromise(of: Void.self)
        exchange.eventLoop.execute { exchange.value.write(payload, promise: promise) }
        try await promise.futureResult.get()
    }
}
