import CouponAPI
import CouponKit
import CouponMinting
import CouponStore
import Foundation
import RobustMark

/// Personal coupons (`CouponTerms/personal`): each member's own copy, made on first
/// request and recorded (`PersonalCopyRepository`), the same copy on every later request
/// and on every instance.
extension APIService {
    /// The member's copy of a personal coupon, as PNG bytes with its copy id: the bytes
    /// made for this member a moment ago (`FinishedCopies`), the recorded copy made again,
    /// or a new one recorded first. Two requests racing for a member's first copy (on one
    /// instance or two) record one, and both answer with it.
    func personalCopy(of coupon: StoredCoupon, merchantId: String, memberId: String) async throws
        -> (png: [UInt8], copyId: String)
    {
        if let finished = finishedCopies.copy(of: coupon.id, for: memberId) { return finished }
        let made = try await makePersonalCopy(of: coupon, merchantId: merchantId, memberId: memberId)
        finishedCopies.remember(made.png, copyId: made.copyId, of: coupon.id, for: memberId)
        return made
    }

    private func makePersonalCopy(of coupon: StoredCoupon, merchantId: String, memberId: String) async throws
        -> (png: [UInt8], copyId: String)
    {
        let original = try await personalOriginal(of: coupon)
        let keys = try await repository.robustKeys(merchantId: merchantId)
        if let issued = try await repository.issuedCopy(couponId: coupon.id, memberId: memberId) {
            return (try await remake(issued, of: original, keys: keys), issued.copyId)
        }
        guard let current = keys.first(where: \.current) else { throw PersonalCopyError.noRobustKey(merchantId) }
        let signing = try await keyRings.signingKey()
        let issuedAt = Int64(clock().timeIntervalSince1970.rounded(.down))
        let copy = try await verifications.run {
            try CouponPersonaliser(serverKey: signing).copy(
                of: original, memberId: memberId, issuedAt: issuedAt, robustKey: current.key)
        }
        let made = IssuedCopy(
            couponId: coupon.id, merchantId: merchantId, memberId: memberId,
            copyId: CouponRobustIdentity.hex(copy.binding.copyId), robustKeyGeneration: current.generation,
            issuedAt: Timestamp.string(Date(timeIntervalSince1970: TimeInterval(issuedAt))), binding: copy.binding.encoded)
        let recorded = try await repository.recordCopy(made)
        guard recorded.binding == made.binding else {
            // Another request recorded this member's copy first: that one is the copy.
            return (try await remake(recorded, of: original, keys: keys), recorded.copyId)
        }
        return (copy.png, made.copyId)
    }

    /// A recorded copy made again under the robust key it was first made under.
    private func remake(_ issued: IssuedCopy, of original: CouponPersonaliser.Original, keys: [MerchantRobustKey])
        async throws -> [UInt8]
    {
        guard let binding = issued.decodedBinding,
            let key = keys.first(where: { $0.generation == issued.robustKeyGeneration })
        else { throw PersonalCopyError.unreadableRecord(issued.couponId) }
        let signing = try await keyRings.signingKey()
        return try await verifications.run {
            try CouponPersonaliser(serverKey: signing).copy(of: original, binding: binding, robustKey: key.key).png
        }
    }

    /// The coupon's original, opened once per process (`PersonalOriginals`).
    private func personalOriginal(of coupon: StoredCoupon) async throws -> CouponPersonaliser.Original {
        if let known = personalOriginals.original(of: coupon.id) { return known }
        let ring = try await keyRings.current()
        let png = coupon.png
        let original = try await verifications.run { try CouponPersonaliser.Original(png: png, keys: ring) }
        personalOriginals.remember(original, of: coupon.id)
        return original
    }

    /// The copy a robust layer named: a copy id recorded under exactly the key that read it.
    func issuedCopy(named reading: RobustReading) async throws -> IssuedCopy? {
        try await repository.issuedCopy(
            copyId: reading.id, merchantId: reading.key.merchantId,
            generation: reading.key.generation)
    }
}

/// Faults in handing out personal copies (500s: the store's records disagree with the keys).
enum PersonalCopyError: Error {
    /// The merchant has no current robust key to mark copies under.
    case noRobustKey(String)
    /// A recorded copy's binding does not decode, or its robust key is gone.
    case unreadableRecord(String)
}
