public import ImageCore
public import PNGCodec
public import Watermark

extension CouponFailure {
    /// Why a coupon image cannot be read, kept typed: the PNG decoder's error, the
    /// watermark layer's error, or a plain reason for what neither layer reports (no
    /// watermark header, a watermark that does not hold a coupon).
    ///
    /// A string literal makes the plain case, so `.unreadable("no watermark found")`
    /// reads as before; the description is the text the API and the CLI have always shown.
    public enum Unreadable: Equatable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
        /// Not a PNG, or a damaged one.
        case png(PNGError)
        /// A picture over the decode limits, in any format (judged from its header).
        case tooLarge(PictureTooLarge)
        /// The watermark was found but cannot be read (other than the wrong key).
        case watermark(WatermarkError)
        case reason(String)

        public init(stringLiteral value: String) {
            self = .reason(value)
        }

        public var description: String {
            switch self {
            case .png(let error): String(describing: error)
            case .tooLarge(let error): error.description
            case .watermark(let error): String(describing: error)
            case .reason(let why): why
            }
        }
    }
}
