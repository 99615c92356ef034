import Foundation
import TestSupport
import Testing

/// Personal coupons through the real `coupon` and `coupon-server` binaries: a merchant mints
/// one from a terms file (`personal` column) and uploads it; two members each `coupon get`
/// their own copy, `coupon reveal` says whose it is, an order with someone else's copy is
/// refused, and `coupon merchant trace` names the member of a leaked JPEG.
@Suite(.serialized, .timeLimit(.minutes(5))) struct PersonalCouponFlowTests {
    @Test func eachMemberGetsTheirOwnCopyAndALeakIsTraced() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        func object(_ text: String) throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        }
        let data = path("data")
        let server = try await LiveServer.start(data: data)
        defer { server.terminate() }
        let merchant = ["COUPON_HOME": path("merchant")]
        func coupon(_ arguments: [String], as who: [String: String]) async throws -> CLIRunner.Result {
            try await CLIRunner.run(arguments + ["--server", server.url], environment: who)
        }

        #expect(try await CLIRunner.run(["keys", "init", "--out", path("mkeys")]).status == 0)
        let added = try await LiveServer.admin([
            "merchant", "add", "--name", "Tea House", "--public-key", path("mkeys/issuer.pub"), "--data", data, "--json",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let token = try #require(try object(added.stdout)["token"] as? String)
        await #expect(try coupon(["merchant", "login", "--token", token], as: merchant).status == 0)
        let product = try await coupon(
            ["merchant", "add-product", "--sku", "TEA-1", "--name", "Tea", "--price", "1000", "--currency", "EUR", "--json"],
            as: merchant)
        let teaId = try #require(try object(product.stdout)["id"] as? String)
        try """
            product_id,title,kind,value,currency,valid_from,valid_until,serial,personal,max_uses_per_member
            \(teaId),Just for you,rate,2000,EUR,2020-01-01,2099-12-31,TEA-MINE,true,0
            """.write(toFile: path("terms.csv"), atomically: true, encoding: .utf8)
        let minted = try await CLIRunner.run(
            ["mint", "--terms", path("terms.csv"), "--out", path("minted"), "--issuer-key", path("mkeys/issuer.key")],
            environment: merchant)
        #expect(minted.status == 0, "\(minted.stderr)")
        let upload = try await coupon(["merchant", "upload", teaId, path("minted/TEA-MINE.png"), "--json"], as: merchant)
        #expect(upload.status == 0, "\(upload.stderr)")
        #expect(upload.stdout.contains(#""robust_layer":false"#), "a personal coupon's robust layer is each copy's")
        #expect(upload.stdout.contains(#""personal":true"#))

        // Not signed in: no copy.
        let anonymous = try await coupon(["get", teaId, "--out", path("nobody.png")], as: ["COUPON_HOME": path("nobody")])
        #expect(anonymous.status != 0)
        #expect(anonymous.stderr.contains("unauthenticated"), "\(anonymous.stderr)")

        var members: [String: (home: [String: String], id: String)] = [:]
        for name in ["ada", "grace"] {
            let home = ["COUPON_HOME": path(name)]
            let joined = try await coupon(["join", "--individual", "--name", name, "--email", "\(name)@example.com", "--json"], as: home)
            #expect(joined.status == 0, "\(joined.stderr)")
            members[name] = (home, try #require(try object(joined.stdout)["member_id"] as? String))
            let got = try await coupon(["get", teaId, "--out", path("\(name).png")], as: home)
            #expect(got.status == 0, "\(got.stderr)")
            #expect(got.stdout.contains("saved your personal copy"))
        }
        let ada = try #require(members["ada"]), grace = try #require(members["grace"])

        let revealed = try await coupon(["reveal", path("ada.png")], as: ada.home)
        #expect(revealed.status == 0, "\(revealed.stderr)")
        #expect(revealed.stdout.contains("personal copy of \(ada.id)"))
        #expect(revealed.stdout.contains("the server's signature verifies"))
        let json = try object(try await coupon(["reveal", path("grace.png"), "--json"], as: ada.home).stdout)
        let copy = try #require(json["copy"] as? [String: Any])
        #expect(copy["member_id"] as? String == grace.id && copy["verified"] as? String == "valid")
        #expect(json["personal"] as? Bool == true)

        // Grace with Ada's copy: refused, exit 7. Ada with hers: ordered.
        let stolen = try await coupon(["order", teaId, "--coupon", path("ada.png")], as: grace.home)
        #expect(stolen.status == 7)
        #expect(stolen.stderr.contains("coupon_not_yours"), "\(stolen.stderr)")
        await #expect(try coupon(["order", teaId, "--coupon", path("ada.png")], as: ada.home).status == 0)

        // A JPEG of Grace's copy, posted somewhere, traced by the merchant.
        let leaked = path("leaked.jpg")
        try Data(try PictureCopy.jpeg(quality: 75).apply(to: Array(try Data(contentsOf: URL(fileURLWithPath: path("grace.png"))))))
            .write(to: URL(fileURLWithPath: leaked))
        let traced = try await coupon(["merchant", "trace", leaked], as: merchant)
        #expect(traced.status == 0, "\(traced.stderr)")
        #expect(traced.stdout.contains("personal copy of \(grace.id)"))
        let tracedJSON = try object(try await coupon(["merchant", "trace", leaked, "--json"], as: merchant).stdout)
        #expect(tracedJSON["member_id"] as? String == grace.id && tracedJSON["layer"] as? String == "robust")
        let untraceable = try await coupon(["merchant", "trace", path("minted/TEA-MINE.png")], as: merchant)
        #expect(untraceable.status == 7)
        #expect(untraceable.stderr.contains("copy_not_traceable"))

        let coupons = try object(try await coupon(["merchant", "coupons", "--json"], as: merchant).stdout)
        let listed = try #require((coupons["coupons"] as? [[String: Any]])?.first)
        #expect(listed["copies_issued"] as? Int == 2 && listed["copies_redeemed"] as? Int == 1)
        let human = try await coupon(["merchant", "coupons"], as: merchant)
        #expect(human.stdout.contains("2 personal copies issued, 1 redeemed"))

        // A new server key: what the old one signed still reveals as verified.
        let rotated = try await LiveServer.admin(["keys", "rotate-server", "--data", data])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        #expect(rotated.stdout.contains("server key srv_"))
        await #expect(server.stop() == 0)
    }
}
