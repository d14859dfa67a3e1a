import ProtobufWire
import Testing

@testable import KubeStoreEtcd

/// The hand-written etcd messages against the bytes SwiftProtobuf's generated code produced for
/// the same values (``EtcdMessageGoldenBytes``).
@Suite struct EtcdMessageGoldenTests {
    static func golden(_ name: String) throws -> [UInt8] {
        let hex = try #require(EtcdMessageGoldenBytes.hex[name], "no golden bytes for \(name)")
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(try #require(UInt8(hex[index..<next], radix: 16)))
            index = next
        }
        return bytes
    }

    @Test(arguments: EtcdMessageFixtures.all)
    func encodesLikeSwiftProtobuf(_ fixture: EtcdGoldenCase) throws {
        #expect(fixture.encoded == (try Self.golden(fixture.name)))
    }

    @Test(arguments: EtcdMessageFixtures.all)
    func decodesSwiftProtobufBytes(_ fixture: EtcdGoldenCase) throws {
        #expect(try fixture.decodesToFixture(try Self.golden(fixture.name)))
    }

    @Test func everyGoldenHasAFixture() {
        #expect(Set(EtcdMessageFixtures.all.map(\.name)) == Set(EtcdMessageGoldenBytes.hex.keys))
    }

    /// Unknown fields of every wire type are skipped: field 1000 (varint, 64-bit, length-delimited,
    /// 32-bit) around a ResponseHeader's revision.
    @Test func skipsUnknownFields() throws {
        let unknown: [UInt8] = [0xC0, 0x3E, 0x96, 0x01]  // field 1000, varint 150
            + [0xC1, 0x3E, 1, 2, 3, 4, 5, 6, 7, 8]  // field 1000, fixed64
            + [0xC2, 0x3E, 0x02, 0xAA, 0xBB]  // field 1000, length-delimited
            + [0xC5, 0x3E, 1, 2, 3, 4]  // field 1000, fixed32
        let bytes = unknown + [0x18, 0x2A] + unknown
        let header = try EtcdRPC.ResponseHeader(serializedBytes: bytes)
        #expect(header == EtcdRPC.ResponseHeader(revision: 42))
    }

    /// Packed and unpacked encodings of a repeated enum are both accepted.
    @Test func readsUnpackedFilters() throws {
        let message = try EtcdRPC.WatchCreateRequest(serializedBytes: [0x28, 0x01, 0x28, 0x00, 0x2A, 0x01, 0x01])
        #expect(message.filters == [.noDelete, .noPut, .noDelete])
    }

    @Test func truncatedMessageIsAnError() {
        #expect(throws: ProtobufDecodingError.self) {
            try EtcdRPC.RangeResponse(serializedBytes: [0x12, 0x05, 0x0A, 0x01])
        }
    }
}
