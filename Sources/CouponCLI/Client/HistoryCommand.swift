import ArgumentParser
import CouponAPI
import CouponKit
import Foundation

/// `coupon history [--limit N] [--cursor C] [--json]`: one page of the history.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Your orders and refused attempts, oldest first, a page at a time.")

    @Option(help: "Orders and refused attempts per page, each (1-500).") var limit = 100
    @Option(help: "Start after the page that printed this cursor.") var cursor: String?
    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON (with next_cursor).") var json = false

    func validate() throws {
        guard (1...500).contains(limit) else { throw ValidationError("--limit must be 1...500") }
    }

    func run() async throws {
        let history = try await server.client().call {
            try await $0.getHistory(query: .init(limit: limit, cursor: cursor)).ok.body.json
        }
        try ClientWireFormat.show(history, json: json) { history in
            print("orders:")
            if history.orders.isEmpty { print("  none") }
            for order in history.orders {
                print("  \(order.orderId)  \(order.quantity) x \(order.productId)  total \(order.total)"
                    + (order.couponSerial?.value.map { "  coupon \($0)" } ?? ""))
            }
            print("refused:")
            if history.rejections.isEmpty { print("  none") }
            for rejection in history.rejections {
                print("  \(rejection.at.formatted(.iso8601))  \(rejection.code)"
                    + (rejection.productId?.value.map { "  product \($0)" } ?? "")
                    + (rejection.couponSerial?.value.map { "  coupon \($0)" } ?? ""))
            }
            if let next = history.nextCursor?.value {
                print("more: coupon history --cursor \(next)" + (limit == 100 ? "" : " --limit \(limit)"))
            }
        }
    }
}
