internal import CTurboJPEG
public import ImageCore

/// Encodes 8-bit RGB (or opaque RGBA) pixels as a baseline JPEG through TurboJPEG: the
/// accurate integer DCT, the standard (not optimised) Huffman tables and libjpeg's quality scale.
/// Made for the tests and commands that degrade coupons the way sharing them does, so the
/// defaults are those of `cjpeg` and most photo pipelines: quality 90, 4:2:0 chroma.
///
/// ```swift
/// let jpeg = try JPEGEncoder(quality: 75).encode(image)
/// ```
public struct JPEGEncoder: ImageFormatEncoder {
    /// libjpeg's quality, 1 (smallest) to 100 (best).
    public var quality: Int
    public var subsampling: JPEGSubsampling

    public init(quality: Int = 90, subsampling: JPEGSubsampling = .yuv420) {
        self.quality = quality
        self.subsampling = subsampling
    }

    /// The largest side libjpeg writes (`JPEG_MAX_DIMENSION`).
    public static let maxSide = 65_500

    /// JPEG has no alpha: an RGBA image must be fully opaque (``ImageFormatError/hasTransparency``
    /// otherwise; flatten it first).
    public func encode(_ image: PixelBuffer) throws(ImageFormatError) -> [UInt8] {
        try checkEncodable(image, quality: quality, in: 1...100, as: "JPEG")
        guard !image.hasTransparency else { throw .hasTransparency }
        let pixelFormat = image.format == .rgba8 ? TJPF_RGBA : TJPF_RGB
        return try TurboJPEG.withHandle(tjInitCompress) { (handle) throws(ImageFormatError) -> [UInt8] in
            var output: UnsafeMutablePointer<UInt8>?
            var length: UInt = 0
            let status = image.bytes.withUnsafeBufferPointer { pixels in
                tjCompress2(
                    handle, pixels.baseAddress, Int32(image.width), Int32(image.rowBytes), Int32(image.height),
                    Int32(pixelFormat.rawValue), &output, &length, subsampling.turboJPEG, Int32(quality), 0)
            }
            defer { tjFree(output) }
            guard status == 0, let output else { throw .encodeFailed(TurboJPEG.message(handle)) }
            return Array(UnsafeBufferPointer(start: output, count: Int(length)))
        }
    }
}
