/// Test-only tools for making damaged PNGs from good ones: find chunks, rewrite their
/// data and re-seal them with a correct CRC.
struct ChunkSurgery {
    var bytes: [UInt8]

    struct Chunk {
        let type: String
        /// Offset of the length field.
        let start: Int
        let length: Int
        var dataRange: Range<Int> { (start + 8)..<(start + 8 + length) }
        var end: Int { start + 12 + length }
    }

    var chunks: [Chunk] {
        var result: [Chunk] = []
        var offset = 8
        while offset + 12 <= bytes.count {
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8
                | Int(bytes[offset + 3])
            let type = String(decoding: bytes[(offset + 4)..<(offset + 8)], as: UTF8.self)
            result.append(Chunk(type: type, start: offset, length: length))
            offset += 12 + length
        }
        return result
    }

    func first(_ type: String) -> Chunk { chunks.first { $0.type == type }! }

    /// Replaces bytes inside a chunk's data and fixes its CRC.
    mutating func patch(_ type: String, at offset: Int, with newBytes: [UInt8]) {
        let chunk = first(type)
        let at = chunk.dataRange.lowerBound + offset
        bytes.replaceSubrange(at..<(at + newBytes.count), with: newBytes)
        reseal(chunk)
    }

    mutating func reseal(_ chunk: Chunk) {
        let crc = Self.crc32(bytes[(chunk.start + 4)..<chunk.dataRange.upperBound])
        let at = chunk.dataRange.upperBound
        bytes.replaceSubrange(at..<(at + 4), with: Self.bigEndian(crc))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func crc32(_ data: some Sequence<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in data { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
