import ImageCore

extension DecodeLimits {
    /// Refuses a header's size before any pixel memory exists: zero sides are
    /// ``ImageFormatError/invalidHeader(_:)``, more than ``maxPixels`` is
    /// ``ImageFormatError/tooLarge(width:height:limit:)`` (the same rule as `PNGDecoder`).
    func check(width: Int, height: Int) throws(ImageFormatError) {
        guard width > 0, height > 0 else { throw .invalidHeader("image has zero width or height (\(width)x\(height))") }
        guard admits(width: width, height: height) else { throw .tooLarge(width: width, height: height, limit: maxPixels) }
    }
}
