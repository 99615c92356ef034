import CouponArt
import ImageCore
import Testing

@Suite struct RevealTests {
    let art: CouponArtwork
    let coupon: RenderedCoupon

    init() throws {
        art = try CouponArtwork()
        coupon = try art.render(Fixture.spec)
    }

    var bounds: Rect { Rect(x: 0, y: 0, width: coupon.image.width, height: coupon.image.height) }

    @Test func discountFillsThePanelAndNothingElse() throws {
        let revealed = try art.drawRevealed(
            on: coupon.image, panel: coupon.discountPanel, headline: "15% OFF", subline: "Member price",
            tamperedBlocks: [])
        let panel = coupon.discountPanel
        #expect(Fixture.changedPixels(coupon.image, revealed, in: panel) > panel.width * panel.height / 2)
        // Outside the panel nothing moved.
        let all = Fixture.changedPixels(coupon.image, revealed, in: bounds)
        #expect(all == Fixture.changedPixels(coupon.image, revealed, in: panel))
        // Highlight colour and dark headline ink are both in the panel.
        let theme = CouponTheme.classic
        #expect(revealed[x: panel.x + 12, y: panel.midY] == [theme.highlight.r, theme.highlight.g, theme.highlight.b])
        var dark = 0
        for y in panel.y..<panel.maxY {
            for x in panel.x..<panel.maxX where revealed[x: x, y: y] == [theme.ink.r, theme.ink.g, theme.ink.b] {
                dark += 1
            }
        }
        #expect(dark > 500)
    }

    @Test func amountHeadlineWithEuroFits() throws {
        let revealed = try art.drawRevealed(
            on: coupon.image, panel: coupon.discountPanel, headline: "€5.00 OFF", subline: "", tamperedBlocks: [])
        #expect(Fixture.changedPixels(coupon.image, revealed, in: bounds)
            == Fixture.changedPixels(coupon.image, revealed, in: coupon.discountPanel))
    }

    @Test func tamperedBlocksAreOutlinedInRedOnly() throws {
        let blocks = [Rect(x: 64, y: 128, width: 32, height: 32), Rect(x: 600, y: 300, width: 40, height: 24)]
        let revealed = try art.drawRevealed(
            on: coupon.image, panel: coupon.discountPanel, headline: "10% OFF", subline: "", tamperedBlocks: blocks)
        let red: [UInt8] = [RGBColor.alertRed.r, RGBColor.alertRed.g, RGBColor.alertRed.b]
        let banner = CouponArtwork.tamperBannerRect(width: 800, height: 400)
        for block in blocks {
            // A 2 px red outline on every side, the inside of the block untouched.
            for x in block.x..<block.maxX {
                for t in 0..<2 {
                    #expect(revealed[x: x, y: block.y + t] == red)
                    #expect(revealed[x: x, y: block.maxY - 1 - t] == red)
                }
            }
            for y in block.y..<block.maxY {
                for t in 0..<2 {
                    #expect(revealed[x: block.x + t, y: y] == red)
                    #expect(revealed[x: block.maxX - 1 - t, y: y] == red)
                }
            }
            #expect(Fixture.changedPixels(coupon.image, revealed, in: block.insetBy(dx: 2, dy: 2)) == 0)
        }
        // Red banner across the top.
        #expect(revealed[x: 4, y: 4] == red)
        // Everywhere else (not banner, panel or blocks) is unchanged.
        var stray = 0
        for y in 0..<400 {
            for x in 0..<800 where revealed[x: x, y: y] != coupon.image[x: x, y: y] {
                if banner.contains(x: x, y: y) || coupon.discountPanel.contains(x: x, y: y) { continue }
                if blocks.contains(where: { $0.contains(x: x, y: y) }) { continue }
                stray += 1
            }
        }
        #expect(stray == 0)
    }

    @Test func noBannerWithoutTamper() throws {
        let revealed = try art.drawRevealed(
            on: coupon.image, panel: coupon.discountPanel, headline: "15% OFF", subline: "", tamperedBlocks: [])
        let banner = CouponArtwork.tamperBannerRect(width: 800, height: 400)
        #expect(Fixture.changedPixels(coupon.image, revealed, in: banner) == 0)
    }

    @Test func rgbaImagesStayRGBA() throws {
        let rgba = coupon.image.toRGBA()
        let revealed = try art.drawRevealed(
            on: rgba, panel: coupon.discountPanel, headline: "15% OFF", subline: "x",
            tamperedBlocks: [Rect(x: 790, y: 390, width: 32, height: 32)])
        #expect(revealed.format == .rgba8)
        #expect(!revealed.hasTransparency)
        #expect(revealed[x: 798, y: 398] == [RGBColor.alertRed.r, RGBColor.alertRed.g, RGBColor.alertRed.b, 255])
    }

    @Test func paintingOverThePanelIsPossible() {
        // What a forger would do: paint over the panel; the rect is what tests and reveal use.
        var image = coupon.image
        image.fill(coupon.discountPanel.insetBy(dx: 10, dy: 10), with: .white)
        #expect(Fixture.changedPixels(coupon.image, image, in: coupon.discountPanel) > 0)
    }
}
