import CouponKit

extension StoredRecord {
    /// A row of `merchant_robust_keys`; `current` is decided by the caller (the newest
    /// generation of its merchant, which a query ordered by generation sees first).
    package static func robustKey(_ reader: some StoreRowReading, current: Bool) throws(StoreError) -> MerchantRobustKey {
        guard let generation = Int(exactly: try reader.integer("generation")), generation >= 1 else {
            throw reader.corrupt("generation")
        }
        guard let raw = Int(exactly: try reader.integer("derivation")), let derivation = CouponRobustIdentity.Derivation(rawValue: raw)
        else { throw reader.corrupt("derivation") }
        return MerchantRobustKey(
            merchantId: try reader.text("merchant_id"), generation: generation, key: try reader.robustKey("key"),
            derivation: derivation, createdAt: try reader.text("created_at"), retiredAt: try reader.optionalText("retired_at"),
            current: current)
    }

    /// Marks the first key of each merchant current, in a list ordered by merchant and then
    /// by generation, newest first.
    package static func markingCurrent(_ keys: [MerchantRobustKey]) -> [MerchantRobustKey] {
        var seen = Set<String>()
        return keys.map { key in
            var key = key
            key.current = seen.insert(key.merchantId).inserted
            return key
        }
    }
}
