import Crypto
public import RobustMark

/// The identifier a coupon's robust layer carries, 64 bits read off a degraded copy and
/// looked up among the stored coupons.
///
/// Two derivations exist:
/// - ``Derivation/v1`` (coupons minted while the server had one robust key for every
///   merchant): the first 8 bytes, big endian, of SHA-256 over `couponmark robust id v1`,
///   a zero byte, the issuer id, a zero byte and the serial. Issuers and serials are
///   public, so anyone could compute it: with the shared key, one merchant could embed
///   another merchant's coupon's identifier. It is still read for the coupons stored
///   before per-merchant keys (under their merchant's migrated `v1` key, until retired).
/// - ``Derivation/v2`` (every coupon minted since): the first 8 bytes, big endian, of
///   HMAC-SHA256 under the merchant's own robust key over `couponmark robust id v2`, a
///   zero byte, the issuer id, a zero byte and the serial. Only the holder of that key can
///   compute it, and the server looks a copy up only among the coupons recorded under the
///   key it was read with, so one merchant's key never names another merchant's coupon.
public enum CouponRobustIdentity {
    /// How an identifier is derived from (issuer, serial).
    public enum Derivation: Int, Sendable, Equatable {
        /// SHA-256, public: the shared key's coupons only.
        case v1 = 1
        /// HMAC-SHA256 under the merchant's robust key.
        case v2 = 2
    }

    /// The ``Derivation/v1`` identifier (public: no key).
    public static func identifier(issuerId: String, serial: String) -> UInt64 {
        let input = Array("couponmark robust id v1".utf8) + [0] + Array(issuerId.utf8) + [0] + Array(serial.utf8)
        return bigEndian(SHA256.hash(data: input))
    }

    /// The ``Derivation/v2`` identifier under the merchant's robust key.
    public static func identifier(issuerId: String, serial: String, key: RobustKey) -> UInt64 {
        let input = Array("couponmark robust id v2".utf8) + [0] + Array(issuerId.utf8) + [0] + Array(serial.utf8)
        return bigEndian(HMAC<SHA256>.authenticationCode(for: input, using: key.key))
    }

    /// A personal copy's identifier (``CopyBinding/copyId``): the first 8 bytes, big
    /// endian, of HMAC-SHA256 under the merchant's robust key over `couponmark robust copy
    /// v1`, a zero byte, the issuer id, the serial and the member id (each followed by a
    /// zero byte). The same member always gets the same copy, on every instance, and no
    /// one without the key can make a picture name another member's copy.
    public static func copyIdentifier(issuerId: String, serial: String, memberId: String, key: RobustKey) -> UInt64 {
        let input =
            Array("couponmark robust copy v1".utf8) + [0] + Array(issuerId.utf8) + [0] + Array(serial.utf8) + [0]
            + Array(memberId.utf8) + [0]
        return bigEndian(HMAC<SHA256>.authenticationCode(for: input, using: key.key))
    }

    /// The identifier of `derivation` (`key` is ignored by ``Derivation/v1``).
    public static func identifier(_ derivation: Derivation, issuerId: String, serial: String, key: RobustKey) -> UInt64 {
        switch derivation {
        case .v1: identifier(issuerId: issuerId, serial: serial)
        case .v2: identifier(issuerId: issuerId, serial: serial, key: key)
        }
    }

    /// ``identifier(issuerId:serial:)`` (v1) as 16 lowercase hex digits, as stored and shown.
    public static func hex(issuerId: String, serial: String) -> String {
        hex(identifier(issuerId: issuerId, serial: serial))
    }

    /// An identifier as 16 lowercase hex digits.
    public static func hex(_ id: UInt64) -> String {
        let digits = String(id, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    private static func bigEndian(_ digest: some Sequence<UInt8>) -> UInt64 {
        digest.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
