import CouponKit
import CouponStore
import Foundation
import HTTPTypes

/// The per-minute limits on what costs the server most and what anyone can do for free,
/// counted by the store (`RateLimitRepository`: in memory on SQLite, in the database on
/// PostgreSQL, so that N instances do not give N times the limit). Over a limit: 429
/// `rate_limited` with `Retry-After`; nothing is done and, for orders, nothing recorded.
///
/// - Sign-ups: `joinPerAddress` per client address (`ClientAddress`) and
///   `joinTotal` from all addresses together (a flood from many addresses); keyed on
///   the operation the router matched (`JoinRateLimit`), so no spelling of the path
///   escapes them.
/// - Robust-layer searches: `robustSearches` per member or merchant, whichever route
///   asks for one (`POST /v1/coupons/identify`, an order's `coupon_image` or
///   `coupon_png` whose fragile layer is gone). A picture without a mark costs the
///   search's whole scale sweep on a verifier thread; an original coupon, which its
///   fragile layer reads, costs no search and is not counted.
struct AdmissionLimits<Repository: RateLimitRepository>: Sendable {
    let repository: Repository
    /// Joins per client address and minute; 0: no limit.
    let joinPerAddress: Int
    /// Joins from all addresses together per minute; 0: no limit.
    let joinTotal: Int
    /// Robust-layer searches per member or merchant and minute; 0: no limit.
    let robustSearches: Int
    let clock: @Sendable () -> Date

    /// Counts one join from `address`, or refuses it.
    func admitJoin(from address: String) async throws {
        if joinPerAddress > 0 {
            try await admit(key: "join:\(address)", perMinute: joinPerAddress, tooMany: "joins from this address")
        }
        if joinTotal > 0 {
            try await admit(key: "join-total", perMinute: joinTotal, tooMany: "joins on this server")
        }
    }

    /// Counts one robust-layer search for the caller, or refuses it.
    func admitRobustSearch(by caller: Principal?) async throws {
        guard robustSearches > 0 else { return }
        let who =
            switch caller {
            case .member(let id)?: "member:\(id)"
            case .merchant(let id)?: "merchant:\(id)"
            case nil: "anonymous"
            }
        try await admit(
            key: "robust:\(who)", perMinute: robustSearches, tooMany: "pictures searched for a coupon mark by this account")
    }

    private func admit(key: String, perMinute: Int, tooMany what: String) async throws {
        if let wait = try await repository.admit(key: key, perMinute: perMinute, at: clock()) {
            throw Problem(
                .rateLimited, detail: "too many \(what); retry in \(wait) s", headers: [.retryAfter: String(wait)])
        }
    }
}
