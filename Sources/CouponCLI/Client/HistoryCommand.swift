import ArgumentParser
import CouponAPI
import CouponKit
import Foundation

/// `coupon history [--json]`.
struct HistoryCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Your orders and refused attempts.")

    @OptionGroup var server: ServerOptions
    @Flag(help: "Print the server's JSON.") var json = false

    func run() async throws {
        let history = try await server.client().call { try await $0.getHistory().ok.body.json }
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
        }
    }
}
