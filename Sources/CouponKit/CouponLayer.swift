/// Which of a coupon picture's two layers named the coupon.
///
/// - ``fragile``: the LSB watermark verified, so the picture is the minted original
///   (bit for bit in its visible pixels) and carries the sealed, signed terms itself;
/// - ``robust``: the fragile layer is gone (the picture was recompressed, resized,
///   cropped or screenshotted) and the robust layer's identifier named a coupon the server
///   stores; that coupon's own signed terms apply, and nothing is read from the copy.
public enum CouponLayer: String, Sendable, CaseIterable, Codable {
    case fragile, robust
}
