internal import CTurboJPEG

/// What a JPEG's frame header says about itself (read by ``JPEGDecoder/header(of:)``
/// without decoding any pixel).
public struct JPEGHeader: Sendable, Equatable {
    /// The colour space of the samples in the file.
    public enum ColorSpace: String, Sendable, Equatable, CaseIterable {
        /// Luma and two chroma components: what cameras, browsers and nearly every encoder write.
        case yCbCr = "YCbCr"
        /// RGB components stored as they are (no colour transform).
        case rgb = "RGB"
        /// One luma component; decoded to RGB with equal channels.
        case gray
        /// Four ink components; refused (``ImageFormatError/unsupported(_:)``).
        case cmyk = "CMYK"
        /// CMYK transformed like YCbCr (Adobe); refused like CMYK.
        case yCCK = "YCCK"

        init?(turboJPEG code: Int32) {
            switch UInt32(code) {
            case TJCS_RGB.rawValue: self = .rgb
            case TJCS_YCbCr.rawValue: self = .yCbCr
            case TJCS_GRAY.rawValue: self = .gray
            case TJCS_CMYK.rawValue: self = .cmyk
            case TJCS_YCCK.rawValue: self = .yCCK
            default: return nil
            }
        }
    }

    public let width: Int
    public let height: Int
    public let colorSpace: ColorSpace
    public let subsampling: JPEGSubsampling

    public var pixelCount: Int { width * height }
}
