internal import CWebP
public import ImageCore

/// Encodes 8-bit RGB or RGBA pixels as a still WebP through libwebp's simple API: lossy
/// (VP8, libwebp's default settings at the given quality, alpha kept losslessly) or lossless
/// (VP8L). Made for the tests and commands that degrade coupons the way sharing them does;
/// quality 75 is `cwebp`'s default, 90 a careful sender's.
///
/// ```swift
/// let webp = try WebPEncoder(quality: 80).encode(image)
/// ```
public struct WebPEncoder: ImageFormatEncoder {
    /// libwebp's quality factor for lossy coding, 0 (smallest) to 100 (best); ignored when lossless.
    public var quality: Int
    public var lossless: Bool

    public init(quality: Int = 90, lossless: Bool = false) {
        self.quality = quality
        self.lossless = lossless
    }

    /// The largest side the WebP format holds (`WEBP_MAX_DIMENSION`).
    public static let maxSide = 16_383

    public func encode(_ image: PixelBuffer) throws(ImageFormatError) -> [UInt8] {
        try checkEncodable(image, quality: quality, in: 0...100, as: "WebP")
        var output: UnsafeMutablePointer<UInt8>?
        let length = image.bytes.withUnsafeBufferPointer { pixels in
            let (base, width, height, stride) = (pixels.baseAddress, Int32(image.width), Int32(image.height), Int32(image.rowBytes))
            let factor = Float(quality)
            return switch (image.format, lossless) {
            case (.rgb8, false): WebPEncodeRGB(base, width, height, stride, factor, &output)
            case (.rgba8, false): WebPEncodeRGBA(base, width, height, stride, factor, &output)
            case (.rgb8, true): WebPEncodeLosslessRGB(base, width, height, stride, &output)
            case (.rgba8, true): WebPEncodeLosslessRGBA(base, width, height, stride, &output)
            }
        }
        defer { WebPFree(output) }
        guard length > 0, let output else { throw .encodeFailed("libwebp could not encode the image") }
        return Array(UnsafeBufferPointer(start: output, count: length))
    }
}
