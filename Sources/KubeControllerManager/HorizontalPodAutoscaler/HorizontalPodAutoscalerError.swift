/// A failure of one pass, with upstream's message.
struct HorizontalPodAutoscalerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
