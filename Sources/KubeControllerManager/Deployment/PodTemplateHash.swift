import KubeModel

/// The `pod-template-hash` of a Deployment's template (upstream's `controller.ComputeHash`):
/// FNV-32a over a stable encoding of the template (its JSON with sorted keys) and, when set,
/// the collision count as 8 little-endian bytes, printed in decimal and mapped onto upstream's
/// safe alphabet (`rand.SafeEncodeString`), so names never spell words.
public enum PodTemplateHash {
    static let alphabet = Array("bcdfghjklmnpqrstvwxz2456789".utf8)

    public static func compute(_ template: CoreV1.PodTemplateSpec, collisionCount: Int32?) -> String {
        var hash: UInt32 = 2_166_136_261
        func add(_ bytes: some Sequence<UInt8>) {
            for byte in bytes {
                hash ^= UInt32(byte)
                hash = hash &* 16_777_619
            }
        }
        add(((try? JSONValueEncoder().encode(template)) ?? .null).serialized(sortedKeys: true))
        if let collisionCount {
            let value = UInt32(bitPattern: collisionCount)
            add([UInt8(value & 0xff), UInt8((value >> 8) & 0xff), UInt8((value >> 16) & 0xff), UInt8(value >> 24), 0, 0, 0, 0])
        }
        return safeEncode(String(hash))
    }

    /// upstream's `SafeEncodeString`: each byte picks a character of the alphabet.
    public static func safeEncode(_ text: String) -> String {
        String(decoding: text.utf8.map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }
}
