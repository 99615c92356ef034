public import CouponKit
public import ImageCore
public import ImageFormats

/// What ``CouponReader`` found in a picture.
public enum CouponReading: Sendable {
    /// The original: its fragile layer opened and verified (tampered or not).
    case original(RevealedCoupon)
    /// A copy: the fragile layer is gone, and the robust layer carries ``RobustMatch/id``
    /// under the key at ``RobustMatch/keyIndex`` of the keys the reader was given.
    case copy(RobustMatch)
    /// No fragile layer, and the robust layer was not searched because the caller gave
    /// no robust keys (it fetches them only when it needs them): ``UnmarkedPicture/image``
    /// is kept so that ``CouponReader/robust(_:keys:)`` reads the same pixels without
    /// decoding them again.
    case unmarked(UnmarkedPicture)
}

/// A robust-layer identifier, and which of the given keys read it.
public struct RobustMatch: Sendable, Equatable {
    /// The 64-bit identifier the layer carries.
    public let id: UInt64
    /// The index, in the keys given to the reader, of the first key that found the mark.
    public let keyIndex: Int
    /// The picture's format (a PNG copy is a degraded original; JPEG and WebP are always copies).
    public let format: ImageFormat
}

/// A decoded picture without a readable fragile layer, and why the fragile layer failed.
public struct UnmarkedPicture: Sendable {
    public let format: ImageFormat
    /// As decoded (RGB or RGBA): the detector reads only luma.
    public let image: PixelBuffer
    /// The fragile layer's failure: the answer for a PNG whose robust layer is not found
    /// either (what PNG coupons have always answered).
    public let fragileFailure: CouponFailure

    public init(format: ImageFormat, image: PixelBuffer, fragileFailure: CouponFailure) {
        (self.format, self.image, self.fragileFailure) = (format, image, fragileFailure)
    }
}
