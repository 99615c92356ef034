import CouponKit

extension StoredRecord {
    /// A `server_keys` row: the private key must be a valid Ed25519 key whose id is the
    /// row's `key_id`.
    package static func serverKey(_ reader: some StoreRowReading) throws(StoreError) -> StoredServerKey {
        guard let key = ServerKey(rawBytes: try reader.bytes("private_key")) else { throw reader.corrupt("private_key") }
        guard key.id == (try reader.text("key_id")) else { throw reader.corrupt("key_id") }
        return StoredServerKey(
            key: key, createdAt: try reader.text("created_at"), retiredAt: try reader.optionalText("retired_at"))
    }

    /// A `coupon_copies` row.
    package static func issuedCopy(_ reader: some StoreRowReading) throws(StoreError) -> IssuedCopy {
        guard let generation = Int(exactly: try reader.integer("robust_key_generation")), generation >= 1 else {
            throw reader.corrupt("robust_key_generation")
        }
        return IssuedCopy(
            couponId: try reader.text("coupon_id"), merchantId: try reader.text("merchant_id"),
            memberId: try reader.text("member_id"), copyId: try reader.text("copy_id"), robustKeyGeneration: generation,
            issuedAt: try reader.text("issued_at"), binding: try reader.bytes("binding"))
    }
}
