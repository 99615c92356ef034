import Foundation
import ImageCore
import PNGCodec
import TestSupport
import Testing

/// `coupon keys init`, `mint`, `reveal`, `verify` as a user runs them: files, JSON and
/// the exit codes of `ExitStatus` (README.md, Exit codes).
@Suite struct CouponToolchainTests {
    struct Minted {
        let dir: URL
        var keys: String { dir.appendingPathComponent("keys").path }
        func coupon(_ serial: String) -> String { dir.appendingPathComponent("out/\(serial).png").path }
        var keyFlags: [String] { ["--reveal-key", keys + "/reveal.key", "--issuer-pub", keys + "/issuer.pub"] }
    }

    /// Keys plus two good rows (a rate and an amount) and two bad ones.
    static func mint() async throws -> (Minted, CLIRunner.Result) {
        let dir = try TestFiles.temporaryDirectory()
        let minted = Minted(dir: dir)
        #expect(try await CLIRunner.run(["keys", "init", "--out", minted.keys]).status == 0)
        let terms = dir.appendingPathComponent("terms.csv")
        try """
            product_id,product_name,title,kind,value,currency,valid_from,valid_until,serial
            prod_a,Espresso,Winter Sale,rate,1500,EUR,2026-12-01,2027-01-31,RATE-1
            prod_b,Grinder,Five off,amount,500,EUR,2026-12-01,2027-01-31,AMOUNT-1
            prod_c,Bad,Too much,rate,20000,EUR,2026-12-01,2027-01-31,BAD-1
            prod_d,Bad,No date,rate,100,EUR,,2027-01-31,BAD-2
            """.write(to: terms, atomically: true, encoding: .utf8)
        let result = try await CLIRunner.run([
            "mint", "--terms", terms.path, "--out", dir.appendingPathComponent("out").path,
            "--issuer-key", minted.keys + "/issuer.key", "--reveal-key", minted.keys + "/reveal.key", "--jobs", "2",
        ])
        return (minted, result)
    }

    @Test func keysAreWrittenOnceWithPrivateModes() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let keys = dir.appendingPathComponent("k").path
        #expect(try await CLIRunner.run(["keys", "init", "--out", keys]).status == 0)
        for (file, mode) in [("issuer.key", 0o600), ("reveal.key", 0o600), ("issuer.pub", 0o644)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: keys + "/" + file)
            #expect(attributes[.posixPermissions] as? Int == mode, "\(file)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: keys + "/issuer.key"))
        let again = try await CLIRunner.run(["keys", "init", "--out", keys])
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: keys + "/issuer.key")) == before)
    }

    @Test func badRowsAreReportedAndGoodRowsMinted() async throws {
        let (minted, result) = try await Self.mint()
        defer { try? FileManager.default.removeItem(at: minted.dir) }
        #expect(result.status == 1)
        #expect(result.stdout.hasPrefix("minted 2 coupons in "))
        #expect(result.stderr.contains("row 3"))
        #expect(result.stderr.contains("row 4"))
        #expect(FileManager.default.fileExists(atPath: minted.coupon("RATE-1")))
        #expect(FileManager.default.fileExists(atPath: minted.coupon("AMOUNT-1")))
        #expect(!FileManager.default.fileExists(atPath: minted.coupon("BAD-1")))
    }

    @Test func revealPrintsTheContractJSON() async throws {
        let (minted, _) = try await Self.mint()
        defer { try? FileManager.default.removeItem(at: minted.dir) }
        let rate = try await CLIRunner.run(["reveal", minted.coupon("RATE-1"), "--json"] + minted.keyFlags)
        #expect(rate.status == 0, "\(rate.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(rate.stdout.utf8)) as? [String: Any])
        #expect(Set(json.keys) == [
            "serial", "product_id", "title", "discount", "valid_from", "valid_until", "issuer_id", "epoch", "tampered",
            "tampered_fraction",
        ])
        let discount = try #require(json["discount"] as? [String: Any])
        #expect(discount["kind"] as? String == "rate" && discount["basis_points"] as? Int == 1500)
        #expect(json["valid_from"] as? String == "2026-12-01T00:00:00Z")

        let amount = try await CLIRunner.run(["reveal", minted.coupon("AMOUNT-1"), "--json"] + minted.keyFlags)
        let amountJSON = try #require(try JSONSerialization.jsonObject(with: Data(amount.stdout.utf8)) as? [String: Any])
        let money = try #require((amountJSON["discount"] as? [String: Any])?["amount"] as? [String: Any])
        #expect(money["amount"] as? Int == 500 && money["currency"] as? String == "EUR")

        let out = minted.dir.appendingPathComponent("revealed.png").path
        let drawn = try await CLIRunner.run(["reveal", minted.coupon("RATE-1"), "--out", out, "--ascii"] + minted.keyFlags)
        #expect(drawn.status == 0)
        #expect(drawn.stdout.contains("15% OFF"))
        let revealed = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))), as: .rgb8).image
        let original = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: minted.coupon("RATE-1")))), as: .rgb8).image
        #expect(revealed.width == original.width && revealed != original, "the discount is drawn on the picture")
    }

    @Test func exitCodesTellWhatIsWrong() async throws {
        let (minted, _) = try await Self.mint()
        defer { try? FileManager.default.removeItem(at: minted.dir) }
        let coupon = minted.coupon("RATE-1")
        #expect(try await CLIRunner.run(["verify", coupon] + minted.keyFlags).status == 0)

        // 3: a PNG without a watermark.
        let plain = minted.dir.appendingPathComponent("plain.png").path
        try Data(try PNGEncoder().encode(PixelBuffer(width: 800, height: 400, format: .rgb8, fill: 200)))
            .write(to: URL(fileURLWithPath: plain))
        #expect(try await CLIRunner.run(["reveal", plain] + minted.keyFlags).status == 3)

        // 4: another reveal key.
        let other = minted.dir.appendingPathComponent("other").path
        #expect(try await CLIRunner.run(["keys", "init", "--out", other]).status == 0)
        let wrongKey = try await CLIRunner.run(
            ["reveal", coupon, "--reveal-key", other + "/reveal.key", "--issuer-pub", minted.keys + "/issuer.pub"])
        #expect(wrongKey.status == 4)

        // 5: made by someone holding the reveal key but not the issuer key.
        let terms = minted.dir.appendingPathComponent("forged.csv")
        try "product_id,title,kind,value,currency,valid_from,valid_until,serial\np,Forged,rate,9000,EUR,2026-01-01,2027-01-01,FORGED-1\n"
            .write(to: terms, atomically: true, encoding: .utf8)
        let forgedDir = minted.dir.appendingPathComponent("forged").path
        #expect(try await CLIRunner.run([
            "mint", "--terms", terms.path, "--out", forgedDir, "--issuer-key", other + "/issuer.key",
            "--reveal-key", minted.keys + "/reveal.key",
        ]).status == 0)
        #expect(try await CLIRunner.run(["verify", forgedDir + "/FORGED-1.png"] + minted.keyFlags).status == 5)

        // 6: the price area painted over; the discount still prints, the area is reported.
        var image = try PNGDecoder().decode([UInt8](try Data(contentsOf: URL(fileURLWithPath: coupon))), as: .rgb8).image
        for y in 230..<290 { for x in 100..<220 { image[x: x, y: y] = [250, 250, 250] } }
        let painted = minted.dir.appendingPathComponent("painted.png").path
        try Data(try PNGEncoder().encode(image)).write(to: URL(fileURLWithPath: painted))
        let tampered = try await CLIRunner.run(["reveal", painted, "--json"] + minted.keyFlags)
        #expect(tampered.status == 6)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(tampered.stdout.utf8)) as? [String: Any])
        #expect(json["tampered"] as? Bool == true)
        #expect((json["tampered_fraction"] as? Double ?? 0) > 0)
        #expect(try await CLIRunner.run(["verify", painted] + minted.keyFlags).status == 6)
    }

    @Test func revealWithoutKeysExplainsWhatToDo() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let result = try await CLIRunner.run(["reveal", "x.png"], environment: ["COUPON_HOME": dir.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("coupon join"))
    }
}
