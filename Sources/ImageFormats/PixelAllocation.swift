import ImageCore

/// `Array.withUnsafeBytes` with a typed error.
func withBytes<R>(of data: [UInt8], _ body: (UnsafeRawBufferPointer) throws(ImageFormatError) -> R)
    throws(ImageFormatError) -> R
{
    let result = data.withUnsafeBytes { raw in Result { () throws(ImageFormatError) in try body(raw) } }
    return try result.get()
}

/// A pixel buffer whose bytes `fill` writes in full; `fill` returns nil on success, or the
/// error (then the bytes are discarded). The bytes are not zeroed first.
func makePixels(
    width: Int, height: Int, format: PixelFormat, _ fill: (UnsafeMutableBufferPointer<UInt8>) -> ImageFormatError?
) throws(ImageFormatError) -> PixelBuffer {
    let count = width * height * format.channels
    var failure: ImageFormatError?
    let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
        failure = fill(buffer)
        initialized = failure == nil ? count : 0
    }
    if let failure { throw failure }
    return PixelBuffer(width: width, height: height, format: format, bytes: bytes)!
}
