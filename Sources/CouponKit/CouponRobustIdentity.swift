import Crypto

/// The identifier a coupon's robust layer carries: the first 8 bytes, big endian, of
/// SHA-256 over `couponmark robust id v1`, a zero byte, the issuer id, a zero byte and
/// the serial. An (issuer, serial) names one coupon (a second upload of it is refused), so
/// anyone holding the coupon's terms finds its identifier without a table, and a robust
/// key holder who reads the identifier off a degraded copy looks the coupon up by it.
public enum CouponRobustIdentity {
    public static func identifier(issuerId: String, serial: String) -> UInt64 {
        let input = Array("couponmark robust id v1".utf8) + [0] + Array(issuerId.utf8) + [0] + Array(serial.utf8)
        return SHA256.hash(data: input).prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// ``identifier(issuerId:serial:)`` as 16 lowercase hex digits, as stored and shown.
    public static func hex(issuerId: String, serial: String) -> String {
        hex(identifier(issuerId: issuerId, serial: serial))
    }

    /// An identifier as 16 lowercase hex digits.
    public static func hex(_ id: UInt64) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
