import CouponAPI
import CouponKit
import CouponStore
import Foundation
import OpenAPIRuntime

/// `POST /v1/merchant/trace` and `GET /v1/merchant/coupons`: what a merchant learns of
/// its personal coupons' copies.
extension APIService {
    /// Whose copy a picture is. The fragile layer first: a binding the server signed (it
    /// verifies under the server's keys, or the picture is refused before this), even on
    /// a copy whose artwork was painted over (`damaged`). Without one, the robust layer
    /// under the merchant's readable keys names a copy the server recorded. Only the
    /// merchant's own coupons are traced; anything else, a picture that is not one, or one
    /// whose layers both fail, is `copy_not_traceable`.
    ///
    /// A picture spliced from two members' copies names one of them or no one: a binding
    /// counts only with the server's signature over it whole, and a robust identifier only
    /// when its tag verifies and the server recorded it.
    func traceCopy(_ input: Operations.TraceCopy.Input) async throws -> Operations.TraceCopy.Output {
        let merchantId = try Caller.merchantId()
        let body: HTTPBody =
            switch input.body {
            case .png(let body), .jpeg(let body), .imageWebp(let body): body
            }
        let bytes = try await [UInt8](collecting: body, upTo: .max)
        guard let merchant = try await repository.merchant(id: merchantId) else { throw TraceError.notTraceable }
        let picture: CouponPicture
        do {
            picture = try await read(picture: bytes) {
                try await repository.robustKeys(merchantId: merchantId).filter(\.readable)
            }
        } catch let failure as CouponFailure where failure.reasonCode != .couponTooLarge {
            throw TraceError.notTraceable
        }
        switch picture {
        case .original(let coupon):
            guard let binding = coupon.binding, binding.issuerId == merchant.issuerId,
                let stored = try await repository.coupon(issuerId: binding.issuerId, serial: binding.serial)
            else { throw TraceError.notTraceable }
            return .ok(
                .init(
                    body: .json(
                        .init(
                            couponId: stored.id, serial: binding.serial, productId: stored.productId,
                            memberId: binding.memberId, copyId: CouponRobustIdentity.hex(binding.copyId),
                            issuedAt: Timestamp.string(Date(timeIntervalSince1970: TimeInterval(binding.issuedAt))),
                            layer: .fragile, damaged: coupon.tampered))))
        case .copy(let reading):
            guard let (stored, copy) = try await namedCoupon(reading), let copy else { throw TraceError.notTraceable }
            return .ok(
                .init(
                    body: .json(
                        .init(
                            couponId: stored.id, serial: stored.serial, productId: stored.productId,
                            memberId: copy.memberId, copyId: copy.copyId, issuedAt: copy.issuedAt, layer: .robust,
                            damaged: true))))
        }
    }

    /// The merchant's coupons, newest first (at most `merchantCouponLimit`), with their
    /// redemptions and their personal copies issued and redeemed.
    func listMerchantCoupons(_ input: Operations.ListMerchantCoupons.Input) async throws
        -> Operations.ListMerchantCoupons.Output
    {
        let merchantId = try Caller.merchantId()
        let coupons = try await repository.merchantCoupons(merchantId: merchantId, limit: Self.merchantCouponLimit)
        let copies = try await repository.copyCounts(merchantId: merchantId)
        return .ok(
            .init(
                body: .json(
                    .init(
                        coupons: coupons.map { coupon in
                            let counts = copies[coupon.id] ?? CopyCounts(issued: 0, redeemed: 0)
                            return .init(
                                couponId: coupon.id, serial: coupon.serial, title: coupon.title, productId: coupon.productId,
                                uses: Int64(coupon.uses), revokedAt: coupon.revokedAt, copiesIssued: Int64(counts.issued),
                                copiesRedeemed: Int64(counts.redeemed))
                        }))))
    }

    /// The most coupons `GET /v1/merchant/coupons` lists.
    static var merchantCouponLimit: Int { 1000 }
}

/// A picture that is no personal copy of the calling merchant's coupons.
enum TraceError: ReasonCoded, Equatable, CustomStringConvertible {
    case notTraceable

    var reasonCode: ReasonCode { .copyNotTraceable }
    var description: String { "the picture is no personal copy of one of your coupons" }
}
