import Foundation
import TestSupport
import Testing

/// Copies of coupons as people make them (a messenger's JPEG, a website's WebP, a 2x
/// screenshot, a crop), through the real `coupon` and `coupon-server` binaries: the
/// merchant's login brings the robust key, `coupon mint` uses it, and the member's
/// `coupon identify`, `coupon reveal` and `coupon order` work from the copies.
@Suite(.serialized, .timeLimit(.minutes(5))) struct CouponCopyFlowTests {
    @Test func copiesAreIdentifiedRevealedThroughTheServerAndOrderedWith() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let data = path("data")
        #expect(try await LiveServer.admin(["seed-demo", "--data", data]).status == 0)
        let server = try await LiveServer.start(data: data)
        defer { server.terminate() }
        let member = ["COUPON_HOME": path("member")]
        let merchant = ["COUPON_HOME": path("merchant")]
        func coupon(_ arguments: [String], as who: [String: String]) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments + ["--server", server.url], environment: who)
        }
        func write(_ bytes: [UInt8], _ name: String) throws -> String {
            try Data(bytes).write(to: URL(fileURLWithPath: path(name)))
            return path(name)
        }

        // The merchant logs in: the robust key arrives with the reveal keys, mode 0600.
        #expect(try await CLIRunner.run(["keys", "init", "--out", path("mkeys")]).status == 0)
        let added = try await LiveServer.admin([
            "merchant", "add", "--name", "Copy Shop", "--public-key", path("mkeys/issuer.pub"), "--data", data, "--json",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(
            (try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: String])?["token"])
        let login = try await coupon(["merchant", "login", "--token", token], as: merchant)
        #expect(login.status == 0, "\(login.stderr)")
        #expect(login.stdout.contains("robust-layer key"))
        let robustKeyFile = path("merchant/robust.key")
        #expect((try FileManager.default.attributesOfItem(atPath: robustKeyFile)[.posixPermissions] as? Int) == 0o600)

        let product = try await coupon(
            ["merchant", "add-product", "--sku", "TEA-1", "--name", "Tea", "--price", "1200", "--currency", "EUR", "--json"],
            as: merchant)
        #expect(product.status == 0, "\(product.stderr)")
        let teaId = try #require(
            (try JSONSerialization.jsonObject(with: Data(product.stdout.utf8)) as? [String: Any])?["id"] as? String)
        try """
            product_id,title,kind,value,currency,valid_from,valid_until,serial,fragile_only,max_uses_per_member
            \(teaId),Tea deal,rate,2500,EUR,2020-01-01,2099-12-31,TEA-ANY,false,0
            \(teaId),Tea original only,rate,5000,EUR,2020-01-01,2099-12-31,TEA-ORIGINAL,true,1
            """.write(toFile: path("terms.csv"), atomically: true, encoding: .utf8)
        let minted = try await CLIRunner.run(
            ["mint", "--terms", path("terms.csv"), "--out", path("minted"), "--issuer-key", path("mkeys/issuer.key")],
            environment: merchant)
        #expect(minted.status == 0, "\(minted.stderr)")
        for serial in ["TEA-ANY", "TEA-ORIGINAL"] {
            let upload = try await coupon(["merchant", "upload", teaId, path("minted/\(serial).png"), "--json"], as: merchant)
            #expect(upload.status == 0, "\(upload.stderr)")
            #expect(upload.stdout.contains(#""robust_layer":true"#), "minted with the profile's robust key")
        }

        // The member: joins (no robust key for members), fetches the coupon, copies it.
        await #expect(try coupon(["join", "--individual", "--name", "Bo", "--email", "bo@example.com"], as: member).status == 0)
        #expect(!FileManager.default.fileExists(atPath: path("member/robust.key")))
        await #expect(try coupon(["get", teaId, "--out", path("tea.png")], as: member).status == 0)
        let original = Array(try Data(contentsOf: URL(fileURLWithPath: path("tea.png"))))
        // `get` serves the newest coupon: the original-only one. Copies of both are made.
        let anyOriginal = Array(try Data(contentsOf: URL(fileURLWithPath: path("minted/TEA-ANY.png"))))

        for copy in PictureCopy.all {
            let file = try write(try copy.apply(to: anyOriginal), "copy.\(copy.fileExtension)")
            let identified = try await coupon(["identify", file, "--json"], as: member)
            #expect(identified.status == 0, "\(copy): \(identified.stderr)")
            let body = try JSONSerialization.jsonObject(with: Data(identified.stdout.utf8)) as? [String: Any]
            #expect(body?["serial"] as? String == "TEA-ANY", "\(copy)")
            #expect(body?["layer"] as? String == "robust", "\(copy)")
        }

        // reveal: the watermark is gone, the server is asked, and the output says so.
        let screenshot = try write(try PictureCopy.screenshot(scale: 2, quality: 80).apply(to: anyOriginal), "shot.jpg")
        let revealed = try await coupon(["reveal", screenshot], as: member)
        #expect(revealed.status == 0, "\(revealed.stderr)")
        #expect(revealed.stderr.contains("(a JPEG copy): the original's watermark is gone; asking the server"))
        #expect(revealed.stdout.contains("discount:  25% OFF"))
        #expect(revealed.stdout.contains("a copy"))
        // Without a server to ask, the fragile layer's answer stands, with the way out.
        try FileManager.default.createDirectory(atPath: path("offline"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: path("member/keys.json"), toPath: path("offline/keys.json"))
        let offline = try await CLIRunner.run(["reveal", screenshot], environment: ["COUPON_HOME": path("offline")])
        #expect(offline.status == 3)
        #expect(offline.stderr.contains("log in"))

        // Orders: the screenshot redeems the stored terms; a copy of the original-only
        // coupon is refused and recorded.
        let ordered = try await coupon(["order", teaId, "--coupon", screenshot, "--json"], as: member)
        #expect(ordered.status == 0, "\(ordered.stderr)")
        let order = try #require(try JSONSerialization.jsonObject(with: Data(ordered.stdout.utf8)) as? [String: Any])
        #expect(order["coupon_layer"] as? String == "robust")
        #expect((order["total"] as? [String: Any])?["amount"] as? Int == 900)
        let human = try await coupon(["order", teaId, "--coupon", try write(try PictureCopy.webp(quality: 50).apply(to: anyOriginal), "w.webp")], as: member)
        #expect(human.status == 0, "\(human.stderr)")
        #expect(human.stdout.contains("a copy named by its robust layer"))

        let strictCopy = try write(try PictureCopy.jpeg(quality: 75).apply(to: original), "strict.jpg")
        let degraded = try await coupon(["order", teaId, "--coupon", strictCopy], as: member)
        #expect(degraded.status == 7, "\(degraded.stderr)")
        #expect(degraded.stderr.contains("coupon_degraded"))
        let strictOriginal = try await coupon(["order", teaId, "--coupon", path("tea.png"), "--json"], as: member)
        #expect(strictOriginal.status == 0, "\(strictOriginal.stderr)")
        let history = try await coupon(["history", "--json"], as: member)
        let historyBody = try #require(try JSONSerialization.jsonObject(with: Data(history.stdout.utf8)) as? [String: Any])
        let layers = (historyBody["orders"] as? [[String: Any]])?.map { $0["coupon_layer"] as? String }
        #expect(layers == ["robust", "robust", "fragile"])
        let codes = (historyBody["rejections"] as? [[String: Any]])?.map { $0["code"] as? String }
        #expect(codes == ["coupon_degraded"])

        // The demo's coupons carry the robust layer too.
        let demo = try await coupon(["products", "--json"], as: member)
        let products = (try JSONSerialization.jsonObject(with: Data(demo.stdout.utf8)) as? [String: Any])?["products"] as? [[String: Any]]
        let espresso = try #require(products?.first { ($0["sku"] as? String) == "ESP-1KG" }?["id"] as? String)
        await #expect(try coupon(["get", espresso, "--out", path("espresso.png")], as: member).status == 0)
        let demoCopy = try write(
            try PictureCopy.jpeg(quality: 75).apply(to: Array(try Data(contentsOf: URL(fileURLWithPath: path("espresso.png"))))),
            "espresso.jpg")
        await #expect(try coupon(["identify", demoCopy], as: member).status == 0)
        await #expect(server.stop() == 0)
    }
}
