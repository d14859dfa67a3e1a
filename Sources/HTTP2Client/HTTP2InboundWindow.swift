/// The inbound flow-control policy of swift-nio-http2's own window manager, for handlers that
/// read frames without its stream multiplexer: credit is granted once a window is down to half
/// its target or less, back up to the target.
public enum HTTP2InboundWindow {
    /// The WINDOW_UPDATE increment for a window with `window` bytes left, nil for none. A
    /// negative window (the peer's settings shrank it) is brought back up too, within HTTP/2's
    /// largest increment.
    public static func increment(window: Int, target: Int) -> Int? {
        guard window < target else { return nil }
        if window >= 0 {
            let increment = target - window
            return increment >= window ? increment : nil
        }
        return min(target - window, Int(Int32.max))
    }
}
