import Foundation
import TestSupport
import Testing

/// Revocation as operators and users do it: `coupon-server keys retire` and `merchant
/// rotate-token` on the data of a running server, `coupon merchant revoke`, a second
/// upload of a serial, and `coupon logout`.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RevocationFlowTests {
    @Test func revocationThroughTheRealBinaries() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("data").path
        #expect(try await LiveServer.admin(["seed-demo", "--data", data]).status == 0)
        let server = try await LiveServer.start(data: data)
        defer { server.terminate() }
        let member = ["COUPON_HOME": dir.appendingPathComponent("member").path]
        let merchantHome = ["COUPON_HOME": dir.appendingPathComponent("merchant").path]
        func coupon(_ arguments: [String], as who: [String: String] = member) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments + ["--server", server.url], environment: who)
        }
        await #expect(try coupon(["join", "--individual", "--name", "Ada", "--email", "ada@example.com"]).status == 0)

        // A merchant mints and uploads a coupon; the same serial again is coupon_exists.
        let keys = dir.appendingPathComponent("mkeys").path
        #expect(try await CLIRunner.run(["keys", "init", "--out", keys]).status == 0)
        let added = try await LiveServer.admin(
            ["merchant", "add", "--name", "Shop", "--public-key", keys + "/issuer.pub", "--data", data, "--json"])
        let merchant = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: String])
        let token = try #require(merchant["token"])
        let merchantId = try #require(merchant["merchant_id"])
        await #expect(try coupon(["merchant", "login", "--token", token], as: merchantHome).status == 0)
        let product = try await coupon(
            ["merchant", "add-product", "--sku", "CUP-1", "--name", "Cup", "--price", "800", "--currency", "EUR", "--json"],
            as: merchantHome)
        let productId = try #require(
            (try JSONSerialization.jsonObject(with: Data(product.stdout.utf8)) as? [String: Any])?["id"] as? String)
        let terms = dir.appendingPathComponent("terms.csv")
        try """
            product_id,product_name,title,kind,value,currency,valid_from,valid_until,serial
            \(productId),Cup,Cup deal,rate,1000,,2020-01-01,2099-12-31,CUP-DEAL-1
            """.write(to: terms, atomically: true, encoding: .utf8)
        let minted = dir.appendingPathComponent("minted").path
        #expect(
            try await CLIRunner.run(
                ["mint", "--terms", terms.path, "--out", minted, "--issuer-key", keys + "/issuer.key"],
                environment: merchantHome
            ).status == 0)
        let file = minted + "/CUP-DEAL-1.png"
        await #expect(try coupon(["merchant", "upload", productId, file], as: merchantHome).status == 0)
        let again = try await coupon(["merchant", "upload", productId, file], as: merchantHome)
        #expect(again.status == 7)
        #expect(again.stderr.contains("coupon_exists"))
        await #expect(try coupon(["order", productId, "--coupon", file]).status == 0)

        // Revoked: the next order is refused.
        let revoked = try await coupon(["merchant", "revoke", "CUP-DEAL-1"], as: merchantHome)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(revoked.stdout.contains("CUP-DEAL-1 revoked at"))
        let refused = try await coupon(["order", productId, "--coupon", file])
        #expect(refused.status == 7)
        #expect(refused.stderr.contains("coupon_revoked"))
        // Any serial of the merchant's own issuer key, uploaded or not (one handed out offline).
        await #expect(try coupon(["merchant", "revoke", "NEVER-UPLOADED"], as: merchantHome).status == 0)
        // No coupon can carry this serial: refused, and its escape sequence never reaches the terminal.
        let hostile = try await coupon(["merchant", "revoke", "X\u{1B}]0;pwned\u{07}"], as: merchantHome)
        #expect(hostile.status == 7)
        #expect(!hostile.stderr.contains("\u{1B}") && !hostile.stderr.contains("\u{07}"))
        #expect(hostile.stderr.contains("no coupon can carry that serial"), "\(hostile.stderr)")

        // Retiring: never the newest epoch; an older one stops the demo coupons (epoch 1),
        // and the catalog stops handing them out.
        let products = try await coupon(["products", "--json"])
        let demo = try #require(
            ((try JSONSerialization.jsonObject(with: Data(products.stdout.utf8)) as? [String: Any])?["products"]
                as? [[String: Any]])?.first { ($0["coupons"] as? [Any])?.isEmpty == false }?["id"] as? String)
        let demoFile = dir.appendingPathComponent("demo.png").path
        await #expect(try coupon(["get", demo, "--out", demoFile]).status == 0)
        let newest = try await LiveServer.admin(["keys", "retire", "--epoch", "1", "--data", data])
        #expect(newest.status == 1)
        #expect(newest.stderr.contains("newest"))
        #expect(try await LiveServer.admin(["keys", "rotate", "--data", data]).status == 0)
        #expect(try await LiveServer.admin(["keys", "retire", "--epoch", "1", "--data", data]).status == 0)
        var retired: CLIRunner.Result?
        for _ in 0..<25 {
            let attempt = try await coupon(["order", demo, "--coupon", demoFile])
            if attempt.status != 0 { retired = attempt; break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(retired?.status == 7)
        #expect(retired?.stderr.contains("coupon_key_retired") == true)
        let gone = try await coupon(["get", demo, "--out", dir.appendingPathComponent("again.png").path])
        #expect(gone.status == 7)
        #expect(gone.stderr.contains("no_coupon"), "\(gone.stderr)")

        // A rotated merchant token: the old one is refused at once, the new one works.
        let rotated = try await LiveServer.admin(["merchant", "rotate-token", "--merchant-id", merchantId, "--data", data, "--json"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let newToken = try #require(
            (try JSONSerialization.jsonObject(with: Data(rotated.stdout.utf8)) as? [String: String])?["token"])
        #expect(newToken != token)
        let stale = try await coupon(["merchant", "orders"], as: merchantHome)
        #expect(stale.status == 7)
        #expect(stale.stderr.contains("unauthenticated"))
        await #expect(try coupon(["merchant", "login", "--token", newToken], as: merchantHome).status == 0)
        await #expect(try coupon(["merchant", "orders"], as: merchantHome).status == 0)
        #expect(try await LiveServer.admin(["merchant", "rotate-token", "--merchant-id", "mer_nope", "--data", data]).status == 1)

        // Logging out: the member's token stops working on the server too.
        let profile = dir.appendingPathComponent("member/profile.json")
        let memberToken = try #require(
            (try JSONSerialization.jsonObject(with: Data(contentsOf: profile)) as? [String: Any])?["token"] as? String)
        let logout = try await coupon(["logout"])
        #expect(logout.status == 0, "\(logout.stderr)")
        #expect(!FileManager.default.fileExists(atPath: profile.path))
        let reuse = try await coupon(["merchant", "login", "--token", memberToken], as: ["COUPON_HOME": dir.appendingPathComponent("x").path])
        #expect(reuse.status == 7)
        #expect(reuse.stderr.contains("unauthenticated"))
        await #expect(try coupon(["logout"]).status == 1, "not logged in any more")
    }
}
