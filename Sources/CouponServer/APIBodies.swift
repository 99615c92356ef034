import CouponKit
import CouponStore

// The JSON shapes of openapi.yaml, snake_case, with `null` written out (never omitted) for
// optional fields. Request bodies refuse unknown fields.

struct MoneyBody: Codable, Equatable {
    let amount: Int64
    let currency: String

    init(_ money: Money) {
        amount = money.amount
        currency = money.currency.code
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["amount", "currency"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        amount = try container.decode(Int64.self, forKey: .amount)
        currency = try container.decode(String.self, forKey: .currency)
    }
}

struct ProductBody: Encodable {
    struct CouponLink: Encodable {
        let id: String
        let title: String
    }

    let id: String
    let sku: String
    let name: String
    let description: String
    let price: MoneyBody
    let merchantId: String
    let coupons: [CouponLink]

    enum CodingKeys: String, CodingKey {
        case id, sku, name, description, price, coupons
        case merchantId = "merchant_id"
    }

    init(_ product: Product) {
        id = product.id
        sku = product.sku
        name = product.name
        description = product.description
        price = MoneyBody(product.price)
        merchantId = product.merchantId
        coupons = product.coupons.map { CouponLink(id: $0.id, title: $0.title) }
    }
}

struct ProductListBody: Encodable {
    let products: [ProductBody]
}

struct OrderBody: Encodable {
    struct Payment: Encodable {
        let paymentId: String
        let status: String

        enum CodingKeys: String, CodingKey {
            case status
            case paymentId = "payment_id"
        }
    }

    let order: Order

    init(_ order: Order) { self.order = order }

    enum CodingKeys: String, CodingKey {
        case quantity, discount, total, payment
        case orderId = "order_id"
        case productId = "product_id"
        case listTotal = "list_total"
        case couponSerial = "coupon_serial"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(order.id, forKey: .orderId)
        try container.encode(order.productId, forKey: .productId)
        try container.encode(order.quantity, forKey: .quantity)
        try container.encode(MoneyBody(order.listTotal), forKey: .listTotal)
        try container.encode(MoneyBody(order.discount), forKey: .discount)
        try container.encode(MoneyBody(order.total), forKey: .total)
        try container.encode(order.couponSerial, forKey: .couponSerial)
        try container.encode(Payment(paymentId: order.paymentId, status: "settled"), forKey: .payment)
    }
}

struct OrderListBody: Encodable {
    let orders: [OrderBody]
}

struct DiscountBody: Encodable {
    let discount: Discount

    enum CodingKeys: String, CodingKey {
        case kind, amount
        case basisPoints = "basis_points"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch discount {
        case .rate(let points):
            try container.encode("rate", forKey: .kind)
            try container.encode(points, forKey: .basisPoints)
        case .amount(let money):
            try container.encode("amount", forKey: .kind)
            try container.encode(MoneyBody(money), forKey: .amount)
        }
    }
}

struct CouponUploadBody: Encodable {
    let couponId: String
    let serial: String
    let discount: DiscountBody

    enum CodingKeys: String, CodingKey {
        case serial, discount
        case couponId = "coupon_id"
    }
}

struct CompanyBody: Codable {
    let name: String?
    let registrationNumber: String?

    enum CodingKeys: String, CodingKey {
        case name
        case registrationNumber = "registration_number"
    }

    init(_ company: Member.Company) {
        name = company.name
        registrationNumber = company.registrationNumber
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["name", "registration_number"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        registrationNumber = try container.decodeIfPresent(String.self, forKey: .registrationNumber)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(registrationNumber, forKey: .registrationNumber)
    }
}

/// `POST /v1/members`. Fields are optional here so that a missing one is the API's
/// `invalid_member` (422), while a wrong type stays `invalid_request` (400).
struct JoinRequest: Decodable {
    let kind: String?
    let name: String?
    let email: String?
    let company: CompanyBody?

    enum CodingKeys: String, CodingKey {
        case kind, name, email, company
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["kind", "name", "email", "company"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decodeIfPresent(String.self, forKey: .kind)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        email = try container.decodeIfPresent(String.self, forKey: .email)
        company = try container.decodeIfPresent(CompanyBody.self, forKey: .company)
    }
}

struct JoinResponse: Encodable {
    let memberId: String
    let token: String
    let keys: KeysDocument

    enum CodingKeys: String, CodingKey {
        case token, keys
        case memberId = "member_id"
    }
}

struct MemberBody: Encodable {
    let member: Member

    enum CodingKeys: String, CodingKey {
        case kind, name, email, company
        case memberId = "member_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(member.id, forKey: .memberId)
        try container.encode(member.kind.rawValue, forKey: .kind)
        try container.encode(member.name, forKey: .name)
        try container.encode(member.email, forKey: .email)
        try container.encode(member.company.map(CompanyBody.init), forKey: .company)
    }
}

struct HistoryBody: Encodable {
    struct RejectionBody: Encodable {
        let rejection: Rejection

        enum CodingKeys: String, CodingKey {
            case at, code
            case couponSerial = "coupon_serial"
            case productId = "product_id"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(rejection.at, forKey: .at)
            try container.encode(rejection.code, forKey: .code)
            try container.encode(rejection.couponSerial, forKey: .couponSerial)
            try container.encode(rejection.productId, forKey: .productId)
        }
    }

    let orders: [OrderBody]
    let rejections: [RejectionBody]
}

/// `POST /v1/orders`.
struct OrderRequest: Decodable {
    let productId: String
    let quantity: Int
    let couponPNG: String?

    enum CodingKeys: String, CodingKey {
        case quantity
        case productId = "product_id"
        case couponPNG = "coupon_png"
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["product_id", "quantity", "coupon_png"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        productId = try container.decode(String.self, forKey: .productId)
        quantity = try container.decode(Int.self, forKey: .quantity)
        couponPNG = try container.decodeIfPresent(String.self, forKey: .couponPNG)
    }
}

/// `POST /v1/merchant/products`. `description` may be left out (empty).
struct NewProductRequest: Decodable {
    let sku: String
    let name: String
    let description: String
    let price: MoneyBody

    enum CodingKeys: String, CodingKey {
        case sku, name, description, price
    }

    init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["sku", "name", "description", "price"])
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sku = try container.decode(String.self, forKey: .sku)
        name = try container.decode(String.self, forKey: .name)
        description = try container.decodeIfPresent(String.self, forKey: .description) ?? ""
        price = try container.decode(MoneyBody.self, forKey: .price)
    }
}
