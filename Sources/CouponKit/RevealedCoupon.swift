public import ImageCore

/// A coupon that opened and verified: its signed terms, and whether its artwork was
/// edited after minting (security goal 4). A tampered coupon still has valid terms; it
/// is the caller's policy to refuse it (the server answers `coupon_tampered`).
public struct RevealedCoupon: Sendable {
    public let terms: CouponTerms
    /// The reveal-key epoch that sealed it.
    public let epoch: UInt32
    /// The visible pixels differ from the ones the issuer signed.
    public let tampered: Bool
    /// Where the edits are, as pixel rectangles of the tamper grid.
    public let tamperedAreas: [PixelRect]
    /// Tampered area / image area, 0...1.
    public let tamperedFraction: Double
    /// The decoded coupon pixels (for drawing the revealed picture).
    public let image: PixelBuffer
    /// A personal copy's binding to its member, nil for every other coupon picture (a
    /// personal coupon as minted has none either). It belongs to ``terms`` (the same
    /// issuer, serial and issuer-signed digest) and its signature did not fail; whether it
    /// verified or its server key is unknown here is ``bindingVerification``.
    public var binding: CopyBinding? = nil
    /// How ``binding``'s signature checked against the key ring's server keys: never
    /// ``CopyBinding/Verification/invalid`` (the revealer refuses those).
    public var bindingVerification: CopyBinding.Verification? = nil
}
