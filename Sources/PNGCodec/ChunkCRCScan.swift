/// Walks a PNG's chunks and checks each CRC. libpng inflates IDAT data before it reads
/// the chunk's CRC, so a damaged IDAT first shows up as a zlib error; the decoder runs
/// this scan on that failure path only, to name the real cause.
enum ChunkCRCScan {
    /// The type of the first chunk whose CRC does not match, if any.
    static func firstBadChunk(in data: UnsafeRawBufferPointer) -> String? {
        var offset = 8
        while offset + 12 <= data.count {
            let length = Int(data[offset]) << 24 | Int(data[offset + 1]) << 16 | Int(data[offset + 2]) << 8
                | Int(data[offset + 3])
            guard length <= data.count - offset - 12 else { return nil }
            let typeAndData = UnsafeRawBufferPointer(rebasing: data[(offset + 4)..<(offset + 8 + length)])
            let stored = data[(offset + 8 + length)..<(offset + 12 + length)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            if crc32(typeAndData) != stored {
                return String(decoding: typeAndData.prefix(4), as: UTF8.self)
            }
            offset += 12 + length
        }
        return nil
    }

    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    private static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }
}
