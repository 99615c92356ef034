import Foundation
import TestSupport
import Testing

/// The whole system as people use it: the real `coupon-server` on a free port, driven
/// by the real `coupon` binary, member and merchant side.
@Suite(.serialized, .timeLimit(.minutes(5))) struct LiveFlowTests {
    struct ProductJSON: Decodable {
        struct Price: Decodable {
            let amount: Int
            let currency: String
        }
        struct Coupon: Decodable {
            let id: String
        }
        let id: String
        let price: Price
        let coupons: [Coupon]
    }

    struct ProductsJSON: Decodable { let products: [ProductJSON] }

    struct RevealJSON: Decodable {
        struct Discount: Decodable {
            let kind: String
            let basis_points: Int?
            let amount: ProductJSON.Price?
        }
        let serial: String
        let product_id: String
        let discount: Discount
        let tampered: Bool
    }

    struct OrderJSON: Decodable {
        struct Money: Decodable { let amount: Int }
        let order_id: String
        let list_total: Money
        let discount: Money
        let total: Money
        let coupon_serial: String?
    }

    struct HistoryJSON: Decodable {
        struct Rejection: Decodable { let code: String }
        let orders: [OrderJSON]
        let rejections: [Rejection]
    }

    @Test func memberAndMerchantFlowAgainstTheRealServer() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        #expect(try await LiveServer.admin(["seed-demo", "--data", data]).status == 0)
        let server = try await LiveServer.start(data: data)
        defer { server.terminate() }
        let member = ["COUPON_HOME": dir.appendingPathComponent("member").path]
        func coupon(_ arguments: [String], as who: [String: String] = member) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments + ["--server", server.url], environment: who)
        }

        // join -> products -> get -> reveal -> order -> history
        let joined = try await coupon(["join", "--individual", "--name", "Ada", "--email", "ada@example.com"])
        #expect(joined.status == 0, "\(joined.stderr)")
        let keysFile = dir.appendingPathComponent("member/keys.json").path
        let mode = (try FileManager.default.attributesOfItem(atPath: keysFile)[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)

        let listed = try await coupon(["products", "--json"])
        #expect(listed.status == 0)
        let products = try JSONDecoder().decode(ProductsJSON.self, from: Data(listed.stdout.utf8)).products
        let product = try #require(products.first { !$0.coupons.isEmpty })

        let couponFile = dir.appendingPathComponent("coupon.png").path
        let fetched = try await coupon(["get", product.id, "--out", couponFile, "--ascii"])
        #expect(fetched.status == 0, "\(fetched.stderr)")
        #expect(FileManager.default.fileExists(atPath: couponFile))

        let revealedRun = try await CLIRunner.run(["reveal", couponFile, "--json"], environment: member)
        #expect(revealedRun.status == 0, "\(revealedRun.stderr)")
        let revealed = try JSONDecoder().decode(RevealJSON.self, from: Data(revealedRun.stdout.utf8))
        #expect(revealed.product_id == product.id)
        #expect(!revealed.tampered)

        let orderRun = try await coupon(["order", product.id, "--quantity", "2", "--coupon", couponFile, "--json"])
        #expect(orderRun.status == 0, "\(orderRun.stderr)")
        let order = try JSONDecoder().decode(OrderJSON.self, from: Data(orderRun.stdout.utf8))
        let list = product.price.amount * 2
        let expectedDiscount =
            revealed.discount.kind == "rate"
            ? (list * (revealed.discount.basis_points ?? 0) + 5000) / 10000
            : min(list, revealed.discount.amount?.amount ?? 0)
        #expect(order.list_total.amount == list)
        #expect(order.discount.amount == expectedDiscount)
        #expect(order.total.amount == list - expectedDiscount)
        #expect(order.coupon_serial == revealed.serial)

        // A picture that is not a coupon: refused with coupon_unreadable (exit 3) and recorded.
        let notACoupon = try await coupon(["order", product.id, "--coupon", CLIRunner.fixture("png/pngsuite/basn2c08.png")])
        #expect(notACoupon.status == 3, "\(notACoupon.stderr)")
        #expect(notACoupon.stderr.contains("coupon_unreadable"))

        let historyRun = try await coupon(["history", "--json"])
        #expect(historyRun.status == 0)
        let history = try JSONDecoder().decode(HistoryJSON.self, from: Data(historyRun.stdout.utf8))
        #expect(history.orders.map(\.order_id) == [order.order_id])
        #expect(history.rejections.map(\.code) == ["coupon_unreadable"])

        // Merchant: register, log in, add a product, mint a coupon, upload it, see the order.
        let merchantHome = ["COUPON_HOME": dir.appendingPathComponent("merchant").path]
        let keys = dir.appendingPathComponent("mkeys").path
        #expect(try await CLIRunner.run(["keys", "init", "--out", keys]).status == 0)
        let added = try await LiveServer.admin(["merchant", "add", "--name", "Corner Shop", "--public-key", keys + "/issuer.pub", "--data", data, "--json"])
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: String])?["token"])
        await #expect(try coupon(["merchant", "login", "--token", token], as: merchantHome).status == 0)
        let newProduct = try await coupon(
            ["merchant", "add-product", "--sku", "MUG-1", "--name", "Mug", "--price", "1000", "--currency", "EUR", "--json"],
            as: merchantHome)
        #expect(newProduct.status == 0, "\(newProduct.stderr)")
        let mugId = try JSONDecoder().decode(ProductJSON.self, from: Data(newProduct.stdout.utf8)).id

        let terms = dir.appendingPathComponent("terms.csv")
        try """
            product_id,product_name,title,kind,value,currency,valid_from,valid_until,serial
            \(mugId),Mug,Mug deal,amount,250,EUR,2020-01-01,2099-12-31,MUG-DEAL-1
            """.write(to: terms, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("minted").path
        let minted = try await CLIRunner.run(
            ["mint", "--terms", terms.path, "--out", out, "--issuer-key", keys + "/issuer.key"], environment: merchantHome)
        #expect(minted.status == 0, "\(minted.stderr)")
        #expect(minted.stdout.contains("minted 1 coupons"))
        let upload = try await coupon(["merchant", "upload", mugId, out + "/MUG-DEAL-1.png", "--title", "Mug deal"], as: merchantHome)
        #expect(upload.status == 0, "\(upload.stderr)")

        let mugCoupon = dir.appendingPathComponent("mug.png").path
        await #expect(try coupon(["get", mugId, "--out", mugCoupon]).status == 0)
        let mugOrder = try await coupon(["order", mugId, "--coupon", mugCoupon, "--json"])
        #expect(mugOrder.status == 0, "\(mugOrder.stderr)")
        #expect(try JSONDecoder().decode(OrderJSON.self, from: Data(mugOrder.stdout.utf8)).total.amount == 750)

        let merchantOrders = try await coupon(["merchant", "orders", "--json"], as: merchantHome)
        #expect(merchantOrders.status == 0)
        #expect(merchantOrders.stdout.contains("MUG-DEAL-1"))

        // A merchant's token is not a member's: refused (exit 7, not_a_member).
        let notMember = try await coupon(["order", mugId], as: merchantHome)
        #expect(notMember.status == 7)
        #expect(notMember.stderr.contains("not_a_member"))

        await #expect(server.stop() == 0, "graceful shutdown on SIGTERM")
    }
}
