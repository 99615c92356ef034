import CouponKit
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark
import TestSupport
import Testing

/// `coupon watermark robust-keygen/robust-embed/robust-detect` through the real binary.
@Suite struct RobustWatermarkCommandTests {
    @Test func embedThenDetectAndTheExitCodes() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try await CLIRunner.run(["watermark", "robust-keygen", "--out", path("k")]).status == 0)
        #expect(try FileManager.default.attributesOfItem(atPath: path("k"))[.posixPermissions] as? Int == 0o600)
        #expect(try await CLIRunner.run(["watermark", "robust-keygen", "--out", path("k")]).status == 1, "never overwrites")
        #expect(try await CLIRunner.run(["watermark", "robust-keygen", "--out", path("other")]).status == 0)

        let coupon = CLIRunner.fixture("art/sample-coupon.png")
        let embed = try await CLIRunner.run([
            "watermark", "robust-embed", "--key", path("k"), "--id", "00c0ffee12345678", coupon, path("marked.png"),
        ])
        #expect(embed.status == 0, "\(embed.stderr)")

        let detect = try await CLIRunner.run(["watermark", "robust-detect", "--key", path("k"), path("marked.png"), "--json"])
        #expect(detect.status == 0, "\(detect.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(detect.stdout.utf8)) as? [String: Any])
        #expect(report["id"] as? String == "00c0ffee12345678")

        // A JPEG copy at quality 75 is read as well.
        let marked = try PNGDecoder().decode(Array(try Data(contentsOf: URL(fileURLWithPath: path("marked.png")))), as: .rgb8)
        try Data(try JPEGEncoder(quality: 75).encode(marked.image)).write(to: URL(fileURLWithPath: path("copy.jpg")))
        let fromJPEG = try await CLIRunner.run(["watermark", "robust-detect", "--key", path("k"), path("copy.jpg")])
        #expect(fromJPEG.status == 0, "\(fromJPEG.stderr)")
        #expect(fromJPEG.stdout.contains("00c0ffee12345678"))

        #expect(try await CLIRunner.run(["watermark", "robust-detect", "--key", path("k"), coupon]).status == 3, "unmarked")
        #expect(try await CLIRunner.run(["watermark", "robust-detect", "--key", path("other"), path("marked.png")]).status == 3)
        let badId = try await CLIRunner.run(["watermark", "robust-embed", "--key", path("k"), "--id", "xyz", coupon, path("x.png")])
        #expect(badId.status == 1)
        #expect(badId.stderr.contains("16 hexadecimal digits"))
        #expect(!FileManager.default.fileExists(atPath: path("x.png")))
    }
}

extension RobustWatermarkCommandTests {
    /// The trial's report, and the false-positive trial: the coupon artwork marked at 40 dB
    /// or more and found after every one of the 21 classic transformations, and 2,000
    /// unmarked coupons (a third freshly drawn, a third of those through a classic
    /// transformation, a third marked under another key), each read under its own key, all
    /// read as none. Chance alone would pass one in 2^40 per key tried, so any false positive
    /// here is a flaw of the detector, not bad luck. (About a minute: the robust layer is
    /// compiled optimised even in debug builds.)
    @Test func trialReportsSurvivalAndNoFalsePositivesInTwoThousand() async throws {
        // About 30 s alone, over two minutes beside the rest of the suite on 2 cores.
        let result = try await CLIRunner.run(
            [
                "watermark", "robust-trial", "--kinds", "coupon", "--families", "classic", "--artworks", "1",
                "--unmarked", "2000", "--json",
            ], deadline: 600)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let rows = try #require(report["survival"] as? [[String: Any]])
        #expect(rows.count == 21)
        #expect(rows.first?["transformation"] as? String == "as marked")
        for row in rows { #expect(row["survived"] as? Int == 1, "\(row["transformation"] ?? "?")") }
        #expect((report["psnr_min"] as? Double ?? 0) >= 40)
        #expect(report["unmarked"] as? Int == 2000)
        #expect(report["false_positives"] as? Int == 0)
    }

    /// The families and kinds in the trial's JSON: a row per family with a count per kind,
    /// the cases counted right, and no wrong identifier or false positive. Recovery rates
    /// are the trial's to measure, not this test's to assert.
    @Test func trialReportsEveryFamily() async throws {
        let result = try await CLIRunner.run(
            [
                "watermark", "robust-trial", "--kinds", "banner,line-art", "--families", "scale,mirror", "--artworks",
                "1", "--cases", "1", "--unmarked", "4", "--json",
            ], deadline: 600)
        #expect(result.status == 0, "\(result.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(report["artworks"] as? Int == 2)
        #expect((report["survival"] as? [Any])?.isEmpty == true, "classic was not chosen")
        let kinds = try #require(report["kinds"] as? [[String: Any]])
        #expect(kinds.compactMap { $0["kind"] as? String } == ["banner", "line-art"])
        for kind in kinds { #expect((kind["psnr_min"] as? Double ?? 0) > 30, "\(kind)") }
        let families = try #require(report["families"] as? [[String: Any]])
        #expect(families.compactMap { $0["family"] as? String } == ["scale", "mirror"])
        for family in families {
            #expect(family["of"] as? Int == 2)
            #expect(family["wrong"] as? Int == 0)
            #expect((family["recovered"] as? Int).map { (0...2).contains($0) } == true)
            #expect(family["median_ms"] is Double)
            let byKind = try #require(family["by_kind"] as? [[String: Any]])
            #expect(byKind.compactMap { $0["kind"] as? String } == ["banner", "line-art"])
            #expect(byKind.allSatisfy { $0["of"] as? Int == 1 })
        }
        #expect(report["unmarked"] as? Int == 4)
        #expect(report["false_positives"] as? Int == 0)

        let unknown = try await CLIRunner.run(["watermark", "robust-trial", "--families", "scale,warp"])
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown family 'warp'") && unknown.stderr.contains("combined"))
    }
}

extension RobustWatermarkCommandTests {
    /// `coupon mint --robust-key`: the coupon reveals as before (the fragile layer, written
    /// last, signs an artwork that already carries the robust layer), and a JPEG 75 copy
    /// of it, which no longer reveals, still gives the identifier derived from its issuer
    /// and serial.
    @Test func mintedCouponsCarryTheRobustLayer() async throws {
        let dir = try TestFiles.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        #expect(try await CLIRunner.run(["keys", "init", "--out", path("keys")]).status == 0)
        #expect(try await CLIRunner.run(["watermark", "robust-keygen", "--out", path("robust.key")]).status == 0)
        try """
            product_id,title,kind,value,currency,valid_from,valid_until,serial
            prod_a,Winter Sale,rate,1500,EUR,2026-12-01,2027-01-31,ROBUST-1
            """.write(toFile: path("terms.csv"), atomically: true, encoding: .utf8)
        let mint = try await CLIRunner.run([
            "mint", "--terms", path("terms.csv"), "--out", path("out"), "--issuer-key", path("keys/issuer.key"),
            "--reveal-key", path("keys/reveal.key"), "--robust-key", path("robust.key"),
        ])
        #expect(mint.status == 0, "\(mint.stderr)")
        let coupon = path("out/ROBUST-1.png")
        let keyFlags = ["--reveal-key", path("keys/reveal.key"), "--issuer-pub", path("keys/issuer.pub")]
        let reveal = try await CLIRunner.run(["reveal", coupon, "--json"] + keyFlags)
        #expect(reveal.status == 0, "\(reveal.stderr)")
        let terms = try #require(try JSONSerialization.jsonObject(with: Data(reveal.stdout.utf8)) as? [String: Any])
        let issuer = try #require(terms["issuer_id"] as? String)
        let robustKey = try #require(RobustKey(base64: try String(contentsOfFile: path("robust.key"), encoding: .utf8)))
        let expected = CouponRobustIdentity.identifier(issuerId: issuer, serial: "ROBUST-1", key: robustKey)

        let decoded = try PNGDecoder().decode(Array(try Data(contentsOf: URL(fileURLWithPath: coupon))), as: .rgb8)
        try Data(try JPEGEncoder(quality: 75).encode(decoded.image)).write(to: URL(fileURLWithPath: path("copy.jpg")))
        #expect(try await CLIRunner.run(["reveal", path("copy.jpg")] + keyFlags).status != 0, "the fragile layer is gone")
        let detect = try await CLIRunner.run(["watermark", "robust-detect", "--key", path("robust.key"), path("copy.jpg"), "--json"])
        #expect(detect.status == 0, "\(detect.stderr)")
        let found = try #require(try JSONSerialization.jsonObject(with: Data(detect.stdout.utf8)) as? [String: Any])
        #expect(found["id"] as? String == String(format: "%016llx", expected))
    }
}
