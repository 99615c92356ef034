import ArgumentParser
import CouponKit

/// `coupon history [--json]`.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Your orders and refused attempts.")

    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        try await reportingFailures {
            let history = try await server.client().get("v1/members/me/history", as: API.History.self)
            if json {
                try Terminal.printJSON(history)
                return
            }
            print("orders:")
            if history.orders.isEmpty { print("  none") }
            for order in history.orders {
                print("  \(order.orderId)  \(order.quantity) x \(order.productId)  total \(order.total)"
                    + (order.couponSerial.map { "  coupon \($0)" } ?? ""))
            }
            print("refused:")
            if history.rejections.isEmpty { print("  none") }
            for rejection in history.rejections {
                print("  \(rejection.at)  \(rejection.code)" + (rejection.productId.map { "  product \($0)" } ?? "")
                    + (rejection.couponSerial.map { "  coupon \($0)" } ?? ""))
            }
        }
    }
}
