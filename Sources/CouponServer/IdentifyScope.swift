import CouponStore

/// Whose robust keys `POST /v1/coupons/identify` reads a copy under.
///
/// The keys share one detection search of the picture (a few milliseconds on a verifier
/// thread), but each adds its pilots' correlations and decodes, and each raises the
/// chance of a false name by at most 7 x 2^-40, so the set must stay bounded however
/// many merchants the server has:
/// - a merchant: its own readable keys (at most `MerchantRobustKeys/readableLimit`);
///   it identifies only copies of its own coupons;
/// - a member with `?product_id=`: the readable keys of that product's merchant (the
///   same set an order for that product reads under);
/// - a member without it: every readable key of the server when there are at most
///   `unscopedKeyLimit` of them (a small shop, the demo), and otherwise 422
///   `invalid_request` asking for `product_id`. The store answers this with one query
///   that reads at most `unscopedKeyLimit` + 1 rows, so neither the database read nor
///   the detection grows with the number of merchants.
///
/// An original (its fragile layer intact) needs no robust key and is identified for
/// anyone, with or without `product_id`.
enum IdentifyScope {
    /// The most robust keys an identify without a product tries.
    static let unscopedKeyLimit = 8
}

extension APIService {
    /// The readable keys `IdentifyScope` picks for the caller.
    func identifyKeys(productId: String?) async throws -> [MerchantRobustKey] {
        if case .merchant(let merchantId) = Caller.current {
            return try await repository.robustKeys(merchantId: merchantId).filter(\.readable)
        }
        if let productId {
            guard let product = try await pricing.pricing(productId: productId) else {
                throw CatalogError.productNotFound(productId)
            }
            return try await repository.robustKeys(merchantId: product.merchantId).filter(\.readable)
        }
        let keys = try await repository.readableRobustKeys(limit: IdentifyScope.unscopedKeyLimit + 1)
        guard keys.count <= IdentifyScope.unscopedKeyLimit else {
            throw RequestError.invalidValue(
                "the picture is a copy, and this server has too many merchants to try them all: "
                    + "name the coupon's product (POST /v1/coupons/identify?product_id=prod_...)")
        }
        return keys
    }
}
