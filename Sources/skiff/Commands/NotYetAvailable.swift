import ArgumentParser

/// The error a subcommand throws while the component it starts has not landed yet.
struct NotYetAvailable: Error, CustomStringConvertible {
    let what: String
    let tracking: String

    var description: String {
        "\(what) is not available in this build yet (\(tracking)); "
            + "see README.md for what works today."
    }
}
