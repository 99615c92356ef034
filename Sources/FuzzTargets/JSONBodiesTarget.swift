import CouponAPI
import CouponKit
import Foundation
import OpenAPIRuntime

/// `json-bodies`: the JSON request bodies the server accepts, decoded into the generated
/// `Components.Schemas` types with the server's JSON configuration. The first byte picks the
/// schema (``Schema``), the rest is the body. What the server does next without a database
/// follows too: an order's `coupon_png` is base64-decoded and decoded as a PNG, a product's
/// price is converted to `Money`.
public enum JSONBodiesTarget {
    /// The request bodies, in the order the first input byte picks them (modulo the count).
    public enum Schema: UInt8, CaseIterable, Sendable {
        case joinRequest = 0
        case orderRequest = 1
        case newProduct = 2
    }

    /// The configuration `CouponServer`'s `WireFormat` gives the generated server (a copy:
    /// that enum is internal to the server, and this module must not depend on it).
    static let decoder = Configuration(
        dateTranscoder: .iso8601, jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes]
    ).jsonDecoder()

    /// The input for `body` as `schema`.
    public static func input(_ schema: Schema, body: String) -> [UInt8] {
        [schema.rawValue] + Array(body.utf8)
    }

    /// True when the body decodes as the schema its first byte picks.
    @discardableResult
    public static func run(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let first = bytes.first else { return false }
        let schemas = Schema.allCases
        let schema = schemas[Int(first) % schemas.count]
        let body = Data(bytes.dropFirst())
        switch schema {
        case .joinRequest:
            return (try? decoder.decode(Components.Schemas.JoinRequest.self, from: body)) != nil
        case .orderRequest:
            guard let order = try? decoder.decode(Components.Schemas.OrderRequest.self, from: body) else { return false }
            if let encoded = order.couponPng, let png = Data(base64Encoded: encoded) {
                png.withUnsafeBytes { _ = PNGDecodeTarget.run($0) }
            }
            return true
        case .newProduct:
            guard let product = try? decoder.decode(Components.Schemas.NewProduct.self, from: body) else { return false }
            _ = CouponKit.Money(product.price)
            return true
        }
    }
}
