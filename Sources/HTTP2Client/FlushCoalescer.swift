import NIOCore

/// Flushes a connection once per batch of writes instead of once per write: the first write of
/// a batch schedules the flush on the event loop, behind the work already queued there, so the
/// requests (or responses) written meanwhile go out in one TLS record and one `write(2)`.
/// Used on the connection's event loop only.
public final class FlushCoalescer {
    private var scheduled = false

    public init() {}

    /// Flushes `context` soon, with whatever else is written before then.
    public func flushSoon(_ context: ChannelHandlerContext) {
        guard !scheduled else { return }
        scheduled = true
        let coalescer = NIOLoopBound(self, eventLoop: context.eventLoop)
        let context = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.eventLoop.execute {
            coalescer.value.scheduled = false
            context.value.flush()
        }
    }
}
