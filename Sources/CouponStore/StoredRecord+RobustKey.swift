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

    /// Marks the last key of each merchant current, in a list of readable keys ordered by
    /// merchant and then by generation, oldest first (the order the primary key's index
    /// gives, so a `LIMIT` stops early). Exact for every merchant whose keys are all in the
    /// list: the current key is the newest and is never retired.
    package static func markingCurrent(_ keys: [MerchantRobustKey]) -> [MerchantRobustKey] {
        keys.indices.map { index in
            var key = keys[index]
            key.current = index == keys.index(before: keys.endIndex) || keys[index + 1].merchantId != key.merchantId
            return key
        }
    }
}
