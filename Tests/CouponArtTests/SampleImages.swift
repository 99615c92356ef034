import CouponArt
import Foundation
import ImageCore
import Testing

/// Regenerates the images under fixtures/art (README pictures) when
/// COUPONMARK_WRITE_ART_SAMPLES=1; skipped otherwise.
@Suite struct SampleImages {
    @Test(.enabled(if: ProcessInfo.processInfo.environment["COUPONMARK_WRITE_ART_SAMPLES"] == "1"))
    func writeSamples() throws {
        let art = try CouponArtwork()
        let coupon = try art.render(Fixture.spec)
        try Fixture.write(coupon.image, to: "sample-coupon.png")
        let revealed = try art.drawRevealed(
            on: coupon.image, panel: coupon.discountPanel, headline: "15% OFF",
            subline: "Member price on Barista Espresso Machine", tamperedBlocks: [])
        try Fixture.write(revealed, to: "sample-revealed.png")
        let tampered = try art.drawRevealed(
            on: coupon.image, panel: coupon.discountPanel, headline: "€5.00 OFF", subline: "Member discount",
            tamperedBlocks: [Rect(x: 64, y: 96, width: 64, height: 64), Rect(x: 128, y: 96, width: 64, height: 64)])
        try Fixture.write(tampered, to: "sample-tampered.png")
        var artSpec = Fixture.spec
        artSpec.background = Fixture.merchantArt(width: 333, height: 217)
        let withArt = try art.render(artSpec)
        try Fixture.write(withArt.image, to: "sample-art.png")
        for (w, h) in [(400, 200), (1200, 600)] {
            var spec = Fixture.spec
            spec.width = w
            spec.height = h
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("couponmark-\(w)x\(h).png")
            try Fixture.write(try art.render(spec).image, toPath: path.path)
        }
        for (name, theme) in CouponTheme.named where name != "classic" {
            var spec = Fixture.spec
            spec.theme = theme
            // Themes go to the temporary directory: for looking at, not for the repository.
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("couponmark-theme-\(name).png")
            try Fixture.write(try art.render(spec).image, toPath: path.path)
        }
    }
}
