import ImageCore
import ImageFormats

/// What the image decoder targets (`png-decode`, `jpeg-decode`, `webp-decode`) share: each
/// input goes through a decoder's header reader, then its pixel decoder to RGBA and to RGB,
/// and, for PNG and WebP, a second time after a format-specific repair (a recomputed
/// checksum or size field) that lets a mutation reach past the decoder's first check.
enum DecodeHarness {
    /// `exercise` on the input as it is and, when `repair` changes it, on the repaired bytes
    /// as well; returns what the input as it is gave.
    static func run(
        _ bytes: UnsafeRawBufferPointer, repair: ([UInt8]) -> [UInt8] = { $0 }, _ exercise: ([UInt8]) -> Bool
    ) -> Bool {
        let data = [UInt8](bytes)
        let accepted = exercise(data)
        let repaired = repair(data)
        if repaired != data { _ = exercise(repaired) }
        return accepted
    }

    /// The header alone, then the pixels as RGBA and as RGB; true when RGBA decoded.
    static func exercise<Header, Decoded>(
        header: () throws -> Header, decode: (PixelFormat) throws -> Decoded
    ) -> Bool {
        _ = try? header()
        let rgba = try? decode(.rgba8)
        _ = try? decode(.rgb8)
        return rgba != nil
    }

    /// ``exercise(header:decode:)`` with a JPEG or WebP decoder.
    static func exercise(_ decoder: some ImageFormatDecoder, _ data: [UInt8]) -> Bool {
        exercise(header: { try decoder.header(of: data) }, decode: { try decoder.decode(data, as: $0) })
    }
}
