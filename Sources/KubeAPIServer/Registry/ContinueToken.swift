import Foundation
import KubeStore

/// The opaque `continue` of a paginated list, in upstream's encoding: base64 of
/// `{"v":"meta.k8s.io/v1","rv":<list revision>,"start":"<key after the prefix>\u0000"}`.
struct ContinueToken: Codable, Equatable, Sendable {
    var v: String = "meta.k8s.io/v1"
    var rv: Revision
    /// The next key to read, relative to the list's key prefix.
    var start: String

    init(revision: Revision, start: String) {
        self.rv = revision
        self.start = start
    }

    /// The token resuming after `lastKey` (relative to the prefix).
    init(revision: Revision, after lastKey: String) {
        self.init(revision: revision, start: lastKey + "\u{0}")
    }

    var encoded: String {
        let data = (try? JSONEncoder().encode(self)) ?? Data()
        return data.base64EncodedString()
    }

    /// Decodes a client-supplied token; malformed → 400 like upstream.
    init(decoding text: String) throws {
        var padded = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while padded.count % 4 != 0 { padded += "=" }
        guard let data = Data(base64Encoded: padded),
              let token = try? JSONDecoder().decode(ContinueToken.self, from: data)
        else { throw APIError.badRequest("continue key is not valid: illegal base64 data at input byte 0") }
        guard token.v == "meta.k8s.io/v1" else {
            throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        }
        guard token.rv > 0 else { throw APIError.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)") }
        guard !token.start.contains(".."), !token.start.hasPrefix("/") else {
            throw APIError.badRequest("continue key is not valid: key must be a relative path")
        }
        self = token
    }

    static let expiredMessage = "The provided continue parameter is too old to display a consistent list result. "
        + "You can start a new list without the continue parameter, or use the continue token in this response to "
        + "retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - "
        + "objects that were created, modified, or deleted between the time the first chunk was returned and now may "
        + "show up in the list."
}
