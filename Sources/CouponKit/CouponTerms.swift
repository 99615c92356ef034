/// Everything a coupon promises, as the issuer signs it.
public struct CouponTerms: Hashable, Sendable {
    /// Unique per issuer; also the minted file's name, so limited to [A-Za-z0-9._-], 1-64 chars.
    public var serial: String
    public var productId: String
    public var title: String
    public var discount: Discount
    /// Unix seconds (UTC), inclusive.
    public var validFrom: Int64
    /// Unix seconds (UTC), inclusive.
    public var validUntil: Int64
    /// Redemptions allowed in all; nil means unlimited.
    public var maxUsesTotal: Int?
    /// Redemptions allowed per member; nil means unlimited. Default 1.
    public var maxUsesPerMember: Int?
    /// The issuer whose key signs these terms (see ``IssuerPublicKey/id``).
    public var issuerId: String
    /// SHA-256 over the artwork's visible bits (the watermark's signed artwork digest);
    /// signing it binds the discount to this picture.
    public var artworkDigest: [UInt8]
    /// Only the original picture may be redeemed: a copy that only the robust layer still
    /// identifies (a JPEG, a screenshot) is refused with `coupon_degraded`. Default false.
    public var fragileOnly: Bool
    /// Handed out only to signed-in members, each as a copy of their own: the fragile
    /// layer carries a binding to the member signed by the server, the robust layer the
    /// copy's identifier (`CopyBinding`). An order needs a copy bound to the member who
    /// orders (`coupon_not_yours`, `coupon_not_personalised`). Default false.
    public var personal: Bool

    public init(
        serial: String, productId: String, title: String, discount: Discount, validFrom: Int64,
        validUntil: Int64, maxUsesTotal: Int? = nil, maxUsesPerMember: Int? = 1, issuerId: String,
        artworkDigest: [UInt8] = [], fragileOnly: Bool = false, personal: Bool = false
    ) {
        (self.serial, self.productId, self.title, self.discount) = (serial, productId, title, discount)
        (self.validFrom, self.validUntil) = (validFrom, validUntil)
        (self.maxUsesTotal, self.maxUsesPerMember) = (maxUsesTotal, maxUsesPerMember)
        self.issuerId = issuerId
        self.artworkDigest = artworkDigest
        self.fragileOnly = fragileOnly
        self.personal = personal
    }

    /// Whether a serial is safe as a file name and compact in the token.
    public static func isValidSerial(_ serial: String) -> Bool {
        TextRules.isPlainWord(serial, maxLength: 64) && serial.first != "."
    }

    /// Whether the terms allow redemption at `time` (Unix seconds).
    public func validity(at time: Int64) -> Validity {
        if time < validFrom { return .notYetValid }
        if time > validUntil { return .expired }
        return .valid
    }

    public enum Validity: Sendable, Equatable {
        case valid, notYetValid, expired
    }
}
