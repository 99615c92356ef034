import Foundation
import TestSupport
import Testing

/// `coupon-server merchant rotate-robust-key` and `retire-robust-keys` as an operator runs
/// them, on the data of a running server, with the merchant's `coupon` profile: a coupon
/// minted before the rotation keeps ordering from a copy, a coupon minted after it (with
/// the key the next `coupon merchant login` saves) orders too, and after retiring only the
/// current key reads copies. Every process has a deadline.
@Suite(.serialized, .timeLimit(.minutes(5))) struct RobustKeyRotationFlowTests {
    static let deadline: TimeInterval = 120

    @Test func rotatingAndRetiringThroughTheAdminCommands() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let data = path("data")
        func admin(_ arguments: [String]) async throws -> CLIRunner.Result {
            let result = try await ProcessRunner.run(LiveServer.serverExecutable, arguments, deadline: Self.deadline)
            #expect(!result.timedOut, "coupon-server \(arguments.joined(separator: " "))")
            return result
        }
        #expect(try await CLIRunner.run(["keys", "init", "--out", path("mkeys")]).status == 0)
        let added = try await admin([
            "merchant", "add", "--name", "Rotating Shop", "--public-key", path("mkeys/issuer.pub"), "--data", data, "--json",
        ])
        #expect(added.status == 0, "\(added.stderr)")
        let addedBody = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: String])
        let (merchantId, token) = (try #require(addedBody["merchant_id"]), try #require(addedBody["token"]))

        let server = try await LiveServer.start(data: data)
        defer { server.terminate() }
        let merchant = ["COUPON_HOME": path("merchant")]
        let member = ["COUPON_HOME": path("member")]
        func coupon(_ arguments: [String], as who: [String: String]) async throws -> CLIRunner.Result {
            let result = try await ProcessRunner.run(
                CLIRunner.executable, arguments + ["--server", server.url], environment: who, deadline: Self.deadline)
            #expect(!result.timedOut, "coupon \(arguments.joined(separator: " "))")
            return result
        }
        func mint(_ serial: String, product: String) async throws -> String {
            try """
                product_id,title,kind,value,currency,valid_from,valid_until,serial,max_uses_per_member
                \(product),Deal \(serial),rate,2000,EUR,2020-01-01,2099-12-31,\(serial),0
                """.write(toFile: path("\(serial).csv"), atomically: true, encoding: .utf8)
            let minted = try await ProcessRunner.run(
                CLIRunner.executable,
                ["mint", "--terms", path("\(serial).csv"), "--out", path("minted"), "--issuer-key", path("mkeys/issuer.key")],
                environment: merchant, deadline: Self.deadline)
            #expect(minted.status == 0, "\(minted.stderr)")
            let upload = try await coupon(["merchant", "upload", product, path("minted/\(serial).png"), "--json"], as: merchant)
            #expect(upload.status == 0, "\(upload.stderr)")
            #expect(upload.stdout.contains(#""robust_layer":true"#), "\(serial) carries the merchant's current key")
            let copy = path("\(serial).jpg")
            try Data(try PictureCopy.jpeg(quality: 75).apply(to: Array(try Data(contentsOf: URL(fileURLWithPath: path("minted/\(serial).png"))))))
                .write(to: URL(fileURLWithPath: copy))
            return copy
        }

        await #expect(try coupon(["merchant", "login", "--token", token], as: merchant).status == 0)
        let firstKey = try String(contentsOfFile: path("merchant/robust.key"), encoding: .utf8)
        let addedProduct = try await coupon(
            ["merchant", "add-product", "--sku", "LAMP", "--name", "Lamp", "--price", "5000", "--currency", "EUR", "--json"],
            as: merchant)
        let product = try #require(
            (try JSONSerialization.jsonObject(with: Data(addedProduct.stdout.utf8)) as? [String: Any])?["id"] as? String)
        let oldCopy = try await mint("BEFORE-1", product: product)

        let rotated = try await admin(["merchant", "rotate-robust-key", "--merchant-id", merchantId, "--data", data, "--json"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        let rotatedBody = try #require(try JSONSerialization.jsonObject(with: Data(rotated.stdout.utf8)) as? [String: Any])
        #expect(rotatedBody["generation"] as? Int == 2)
        #expect(rotatedBody["readable_keys"] as? Int == 2)
        #expect(Set(rotatedBody.keys) == ["merchant_id", "generation", "readable_keys"], "the key is never printed")
        await #expect(try coupon(["merchant", "login", "--token", token], as: merchant).status == 0)
        let secondKey = try String(contentsOfFile: path("merchant/robust.key"), encoding: .utf8)
        #expect(secondKey != firstKey, "login saves the new current key")
        #expect(!rotated.stdout.contains(secondKey.trimmingCharacters(in: .whitespacesAndNewlines)))
        let newCopy = try await mint("AFTER-1", product: product)

        await #expect(try coupon(["join", "--individual", "--name", "Ida", "--email", "ida@example.com"], as: member).status == 0)
        let beforeRetiring = try await coupon(["order", product, "--coupon", oldCopy, "--json"], as: member)
        #expect(beforeRetiring.status == 0, "a copy minted before the rotation: \(beforeRetiring.stderr)")

        let retired = try await admin(["merchant", "retire-robust-keys", "--merchant-id", merchantId, "--data", data, "--json"])
        #expect(retired.status == 0, "\(retired.stderr)")
        let retiredBody = try #require(try JSONSerialization.jsonObject(with: Data(retired.stdout.utf8)) as? [String: Any])
        #expect(retiredBody["retired_generations"] as? [Int] == [1])
        let afterRetiring = try await coupon(["order", product, "--coupon", oldCopy], as: member)
        #expect(afterRetiring.status == 3, "coupon_unreadable: \(afterRetiring.stderr)")
        await #expect(try coupon(["order", product, "--coupon", newCopy, "--json"], as: member).status == 0)
        let identified = try await coupon(["identify", newCopy, "--product", product, "--json"], as: member)
        #expect(identified.status == 0, "\(identified.stderr)")
        #expect(identified.stdout.contains(#""serial":"AFTER-1""#), "\(identified.stdout)")
        let revealed = try await coupon(["reveal", newCopy, "--product", product], as: member)
        #expect(revealed.status == 0, "\(revealed.stderr)")
        #expect(revealed.stdout.contains("20% OFF"), "\(revealed.stdout)")

        let unknown = try await admin(["merchant", "rotate-robust-key", "--merchant-id", "mch_nobody", "--data", data])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no merchant mch_nobody"))
    }
}
