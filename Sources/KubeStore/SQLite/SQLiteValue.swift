/// A value bound to a statement parameter.
enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case text(String)
    /// Bytes stored as a BLOB (an empty array is a zero-length BLOB, not NULL).
    case blob([UInt8])

    /// An `Int` as an INTEGER.
    static func integer(_ value: Int) -> SQLiteValue { .integer(Int64(value)) }

    /// The UTF-8 bytes of `string` as a BLOB (how the store keeps its keys, which compare bytewise).
    static func utf8Blob(_ string: String) -> SQLiteValue { .blob(Array(string.utf8)) }
}
