public import ImageCore
import PNGCodec

/// What ``JPEGDecoder`` and ``WebPDecoder`` share: a size limit checked before allocating,
/// a header read without decoding pixels, and decoding to RGB or RGBA. Each implements the
/// two readers over bytes the caller keeps alive; the `[UInt8]` forms come from here.
public protocol ImageFormatDecoder: Sendable {
    /// What the file's headers say.
    associatedtype Header: Sendable, Equatable

    var limits: DecodeLimits { get }

    /// Reads only the headers.
    func header(of data: UnsafeRawBufferPointer) throws(ImageFormatError) -> Header

    /// Decodes bytes that the caller keeps alive for the duration of the call.
    func decode(_ data: UnsafeRawBufferPointer, as format: PixelFormat) throws(ImageFormatError) -> PixelBuffer
}

extension ImageFormatDecoder {
    /// Reads only the headers.
    public func header(of data: [UInt8]) throws(ImageFormatError) -> Header {
        try withBytes(of: data) { (raw) throws(ImageFormatError) -> Header in try header(of: raw) }
    }

    /// Decodes `data` to `format`.
    public func decode(_ data: [UInt8], as format: PixelFormat = .rgba8) throws(ImageFormatError) -> PixelBuffer {
        try withBytes(of: data) { (raw) throws(ImageFormatError) -> PixelBuffer in try decode(raw, as: format) }
    }
}
