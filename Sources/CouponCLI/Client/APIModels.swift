import CouponKit

/// The API's JSON shapes as the client reads them (Sources/CouponServer/openapi.yaml).
enum API {
    struct CouponRef: Codable, Sendable {
        let id: String
        let title: String
    }

    struct Product: Codable, Sendable {
        let id: String
        let sku: String
        let name: String
        let description: String
        let price: Money
        let merchantId: String
        let coupons: [CouponRef]
    }

    struct Products: Codable, Sendable {
        let products: [Product]
    }

    struct Payment: Codable, Sendable {
        let paymentId: String
        let status: String
    }

    struct Order: Codable, Sendable {
        let orderId: String
        let productId: String
        let quantity: Int
        let listTotal: Money
        let discount: Money
        let total: Money
        let couponSerial: String?
        let payment: Payment
    }

    struct Orders: Codable, Sendable {
        let orders: [Order]
    }

    struct Rejection: Codable, Sendable {
        let at: String
        let code: String
        let couponSerial: String?
        let productId: String?
    }

    struct History: Codable, Sendable {
        let orders: [Order]
        let rejections: [Rejection]
    }

    struct Company: Codable, Sendable {
        let name: String
        let registrationNumber: String
    }

    struct JoinRequest: Codable, Sendable {
        let kind: String
        let name: String
        let email: String
        let company: Company?
    }

    struct Joined: Codable, Sendable {
        let memberId: String
        let token: String
        let keys: KeysDocument
    }

    struct OrderRequest: Codable, Sendable {
        let productId: String
        let quantity: Int
        let couponPng: String?
    }

    struct NewProduct: Codable, Sendable {
        let sku: String
        let name: String
        let description: String
        let price: Money
    }

    struct UploadedCoupon: Codable, Sendable {
        struct DiscountJSON: Codable, Sendable {
            let kind: String
            let basisPoints: Int?
            let amount: Money?
        }

        let couponId: String
        let serial: String
        let discount: DiscountJSON
    }

    /// RFC 9457 problem details with the API's `code`.
    struct Problem: Codable, Sendable {
        let type: String?
        let title: String?
        let status: Int?
        let detail: String?
        let code: String?
    }
}
