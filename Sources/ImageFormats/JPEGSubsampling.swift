internal import CTurboJPEG

/// How much colour resolution a JPEG keeps, relative to luma (TurboJPEG's TJSAMP_*).
public enum JPEGSubsampling: String, Sendable, Equatable, CaseIterable {
    /// Full colour resolution.
    case yuv444 = "4:4:4"
    /// Half the columns.
    case yuv422 = "4:2:2"
    /// Half the columns and half the rows: the default of libjpeg's `cjpeg`, browsers and
    /// most photo pipelines, so what a coupon meets after being shared.
    case yuv420 = "4:2:0"
    /// No colour at all: a grayscale JPEG.
    case gray
    /// Half the rows.
    case yuv440 = "4:4:0"
    /// A quarter of the columns.
    case yuv411 = "4:1:1"

    var turboJPEG: Int32 {
        switch self {
        case .yuv444: Int32(TJSAMP_444.rawValue)
        case .yuv422: Int32(TJSAMP_422.rawValue)
        case .yuv420: Int32(TJSAMP_420.rawValue)
        case .gray: Int32(TJSAMP_GRAY.rawValue)
        case .yuv440: Int32(TJSAMP_440.rawValue)
        case .yuv411: Int32(TJSAMP_411.rawValue)
        }
    }

    /// The case whose ``turboJPEG`` is `code`; nil for a code TurboJPEG added later.
    init?(turboJPEG code: Int32) {
        guard let match = Self.allCases.first(where: { $0.turboJPEG == code }) else { return nil }
        self = match
    }
}
