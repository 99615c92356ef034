public import ImageCore
import PNGCodec

/// A decoded image and the format its bytes turned out to be.
public struct DecodedImage: Sendable, Equatable {
    public let format: ImageFormat
    public let image: PixelBuffer
}

/// Decodes PNG, JPEG or WebP bytes from untrusted sources, whichever their signature says
/// (``ImageFormat/init(sniffing:)``), with one set of limits: `PNGDecoder`, ``JPEGDecoder``
/// or ``WebPDecoder`` does the work, each checking the header's size before allocating.
///
/// ```swift
/// let decoded = try ImageDecoder().decode(uploadedBytes, as: .rgb8)
/// if decoded.format != .png { /* the coupon travelled as a lossy copy */ }
/// ```
public struct ImageDecoder: Sendable {
    public var limits: DecodeLimits

    public init(limits: DecodeLimits = .default) {
        self.limits = limits
    }

    /// Decodes `data` to `format`. A PNG failure is ``ImageFormatError/png(_:)`` with
    /// `PNGDecoder`'s own error; bytes of no known format are ``ImageFormatError/unrecognized``
    /// (or ``ImageFormatError/truncated(_:)`` when they stop inside a signature).
    public func decode(_ data: [UInt8], as format: PixelFormat = .rgba8) throws(ImageFormatError) -> DecodedImage {
        guard !data.isEmpty else { throw .empty }
        guard let kind = ImageFormat(sniffing: data) else {
            if ImageFormat.allCases.contains(where: { $0.couldStart(data) }) {
                throw .truncated("file ends inside the signature")
            }
            throw .unrecognized
        }
        let image: PixelBuffer
        switch kind {
        case .png:
            do throws(PNGError) {
                image = try PNGDecoder(limits: limits).decode(data, as: format).image
            } catch {
                throw .png(error)
            }
        case .jpeg: image = try JPEGDecoder(limits: limits).decode(data, as: format)
        case .webp: image = try WebPDecoder(limits: limits).decode(data, as: format)
        }
        return DecodedImage(format: kind, image: image)
    }
}

extension ImageDecoder {
    /// Width and height as the file's header gives them, without decoding any pixel, for
    /// callers that refuse a shape before paying for its pixels. Bytes of no known format
    /// and unreadable headers throw as ``decode(_:as:)`` would; the size limit is not
    /// applied here (``decode(_:as:)`` applies it).
    public func size(of data: [UInt8]) throws(ImageFormatError) -> (width: Int, height: Int) {
        guard let kind = ImageFormat(sniffing: data) else { throw data.isEmpty ? .empty : .unrecognized }
        switch kind {
        case .png:
            do throws(PNGError) {
                let header = try PNGDecoder(limits: limits).header(of: data)
                return (header.width, header.height)
            } catch {
                throw .png(error)
            }
        case .jpeg:
            let header = try JPEGDecoder(limits: limits).header(of: data)
            return (header.width, header.height)
        case .webp:
            let header = try WebPDecoder(limits: limits).header(of: data)
            return (header.width, header.height)
        }
    }
}
