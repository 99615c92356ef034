import CouponStore
import Synchronization

/// Products' pricing as orders read it, kept once read: a product's price, merchant and
/// issuer never change (`ProductPricing`), so every order after the first for a product
/// skips two database reads. Unknown products are not remembered (one may be added).
/// Bounded: past `capacity` products it starts over, which costs one read per product.
final class PricingCache<Repository: CatalogRepository>: Sendable {
    /// Products remembered before the cache starts over.
    static var capacity: Int { 10_000 }
    private let repository: Repository
    private let entries = Mutex<[String: ProductPricing]>([:])

    init(repository: Repository) { self.repository = repository }

    func pricing(productId: String) async throws -> ProductPricing? {
        if let hit = entries.withLock({ $0[productId] }) { return hit }
        guard let pricing = try await repository.pricing(productId: productId) else { return nil }
        entries.withLock { entries in
            if entries.count >= Self.capacity { entries.removeAll(keepingCapacity: true) }
            entries[productId] = pricing
        }
        return pricing
    }
}
