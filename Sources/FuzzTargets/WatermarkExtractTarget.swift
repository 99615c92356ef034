import ImageCore
import Watermark

/// `watermark-extract`: pixels read from an untrusted coupon, through `MarkedImage(_:)`
/// and `verify(key:)` with a fixed key.
///
/// Input layout (``encode(_:mode:)`` writes it): width - 1 as a big-endian UInt16, height - 1
/// likewise (each taken modulo ``maxSide``), a flags byte (bit 0: RGBA rather than RGB;
/// bit 1: the reference kernels rather than SIMD), then the pixel bytes row by row. Missing
/// pixel bytes are zero; extra bytes are ignored.
public enum WatermarkExtractTarget {
    public static let maxSide = 256
    public static let headerSize = 5

    /// The fixed marking key: 32 bytes 0x57, 0x58, ... (`"WX"` onwards), never random.
    public static let key: WatermarkKey = {
        do {
            return try WatermarkKey(bytes: (0..<32).map { UInt8(0x57 &+ $0) })
        } catch {
            preconditionFailure("a 32-byte watermark key is always valid: \(error)")
        }
    }()

    /// True when the mark verifies under ``key``.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let (image, mode) = decode(bytes) else { return false }
        guard let marked = try? MarkedImage(image, mode: mode) else { return false }
        return (try? marked.verify(key: key)) != nil
    }

    /// The image and kernel mode an input describes; nil when it is shorter than the header.
    public static func decode(_ bytes: UnsafeRawBufferPointer) -> (PixelBuffer, KernelMode)? {
        guard bytes.count >= headerSize else { return nil }
        let width = (Int(bytes[0]) << 8 | Int(bytes[1])) % maxSide + 1
        let height = (Int(bytes[2]) << 8 | Int(bytes[3])) % maxSide + 1
        let format: PixelFormat = bytes[4] & 1 == 0 ? .rgb8 : .rgba8
        let mode: KernelMode = bytes[4] & 2 == 0 ? .simd : .reference
        let count = width * height * format.channels
        var pixels = [UInt8](bytes[headerSize..<min(bytes.count, headerSize + count)])
        if pixels.count < count { pixels += [UInt8](repeating: 0, count: count - pixels.count) }
        guard let image = PixelBuffer(width: width, height: height, format: format, bytes: pixels) else { return nil }
        return (image, mode)
    }

    /// The input that ``decode(_:)`` reads back as `image` (at most ``maxSide`` on a side).
    public static func encode(_ image: PixelBuffer, mode: KernelMode = .simd) -> [UInt8] {
        precondition(image.width <= maxSide && image.height <= maxSide, "image larger than the harness reads")
        let w = image.width - 1
        let h = image.height - 1
        let flags = UInt8(image.format == .rgba8 ? 1 : 0) | UInt8(mode == .reference ? 2 : 0)
        return [UInt8(w >> 8), UInt8(w & 0xFF), UInt8(h >> 8), UInt8(h & 0xFF), flags] + image.bytes
    }
}
