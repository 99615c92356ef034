import Foundation

/// One page of a member's history: up to `limit` orders and up to `limit` refused
/// attempts, each oldest first, after the positions of `cursor`.
public struct HistoryPage: Sendable, Equatable {
    public var orders: [Order]
    public var rejections: [Rejection]
    /// Where the next page starts; nil when neither list has more.
    public var next: HistoryCursor?

    public init(orders: [Order], rejections: [Rejection], next: HistoryCursor?) {
        (self.orders, self.rejections, self.next) = (orders, rejections, next)
    }
}

/// Where a history page starts: the last order and the last rejection already shown
/// (their row positions). On the wire it is opaque: base64url of `h1.<order>.<rejection>`.
public struct HistoryCursor: Sendable, Equatable {
    public var orderSeq: Int64
    public var rejectionId: Int64

    public static let start = HistoryCursor(orderSeq: 0, rejectionId: 0)

    public init(orderSeq: Int64, rejectionId: Int64) {
        (self.orderSeq, self.rejectionId) = (orderSeq, rejectionId)
    }

    /// Nil for anything this server did not hand out.
    public init?(encoded: String) {
        guard encoded.utf8.count <= 64 else { return nil }
        guard let data = Base64URL.decode(encoded) else { return nil }
        let parts = String(decoding: data, as: UTF8.self).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "h1", let order = Int64(parts[1]), let rejection = Int64(parts[2]),
            order >= 0, rejection >= 0
        else { return nil }
        self.init(orderSeq: order, rejectionId: rejection)
    }

    public var encoded: String {
        Base64URL.encode(Data("h1.\(orderSeq).\(rejectionId)".utf8))
    }
}
