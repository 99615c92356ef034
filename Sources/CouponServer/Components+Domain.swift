import CouponAPI
import CouponKit
import CouponStore
import Foundation
import RobustMark

// The server's conversions from CouponStore's records to the generated wire types (the
// ones the client needs too are in CouponAPI/Components+CouponKit.swift).

extension Components.Schemas.Product {
    init(_ product: CouponStore.Product) {
        self.init(
            id: product.id, sku: product.sku, name: product.name, description: product.description,
            price: .init(product.price), merchantId: product.merchantId,
            coupons: product.coupons.map { .init(id: $0.id, title: $0.title) })
    }
}

extension Components.Schemas.Order {
    init(_ order: CouponStore.Order) {
        self.init(
            orderId: order.id, productId: order.productId, quantity: order.quantity, listTotal: .init(order.listTotal),
            discount: .init(order.discount), total: .init(order.total), couponSerial: .init(order.couponSerial),
            couponLayer: order.couponLayer.flatMap { CouponLayerPayload(rawValue: $0.rawValue) },
            payment: .init(paymentId: order.paymentId, status: .settled))
    }
}

extension Components.Schemas.Member {
    init(_ member: CouponStore.Member) {
        let kind: KindPayload =
            switch member.kind {
            case .individual: .individual
            case .corporate: .corporate
            }
        self.init(
            memberId: member.id, kind: kind, name: member.name, email: member.email,
            company: .init(member.company.map { .init(name: $0.name, registrationNumber: $0.registrationNumber) }))
    }
}

extension Components.Schemas.Rejection {
    /// `at` is stored as ISO 8601 text (whole seconds, UTC); one that does not parse is
    /// served as the epoch rather than failing the whole history.
    init(_ rejection: CouponStore.Rejection) {
        self.init(
            at: (try? Date(rejection.at, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0), code: rejection.code,
            couponSerial: .init(rejection.couponSerial), productId: .init(rejection.productId))
    }
}

extension Components.Schemas.RobustKey {
    /// One of the calling merchant's robust keys, as `GET /v1/keys` lists it.
    init(_ key: MerchantRobustKey) {
        self.init(
            generation: Int64(key.generation), key: key.key.base64, current: key.current, retired: !key.readable,
            derivation: key.derivation == .v1 ? .v1 : .v2)
    }
}
