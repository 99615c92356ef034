public import ImageCore

/// Drawing a revealed coupon: the discount in the panel, edited areas outlined.
extension CouponArtwork {
    /// Where the discount panel of a coupon of this size is: the layout depends only on
    /// the size, so the reveal side finds the panel without re-rendering.
    public static func discountPanel(width: Int, height: Int) -> Rect {
        Layout(width: width, height: height).panel
    }

    /// The red banner `drawRevealed` puts across the top when blocks are tampered.
    public static func tamperBannerRect(width: Int, height: Int) -> Rect {
        Rect(x: 0, y: 0, width: width, height: max(24, height * 9 / 100))
    }

    /// Returns `image` with the discount drawn large in `panel` (filled with the theme's
    /// highlight first), the edited area outlined in red (`TamperOutline`: the union of
    /// `tamperedBlocks`, one 2 px outline inside each connected region, no line between
    /// adjacent blocks) and, when there are any, a red "TAMPERED" banner across the top
    /// (`tamperBannerRect`). RGB and RGBA images are accepted; the format is kept.
    public func drawRevealed(
        on image: PixelBuffer, panel: Rect, headline: String, subline: String, tamperedBlocks: [Rect],
        theme: CouponTheme = .classic
    ) throws(ArtError) -> PixelBuffer {
        var out = image
        let bounds = Rect(x: 0, y: 0, width: image.width, height: image.height)
        let area = panel.intersection(bounds)
        if !area.isEmpty {
            let s = max(1, min(area.width, area.height * 4) / 120)
            let radius = max(2, area.height / 12)
            out.fillRoundedRect(area, radius: radius, with: theme.accent)
            out.fillRoundedRect(area.insetBy(dx: max(2, s), dy: max(2, s)), radius: max(0, radius - s),
                                with: theme.highlight)
            let pad = max(4, area.width / 20)
            let innerWidth = area.width - 2 * pad
            let hasSub = !subline.isEmpty
            let headlineMax = max(8, area.height * (hasSub ? 50 : 66) / 100)
            let headlineSize = try text.fittingSize(headline, style: .bold, width: innerWidth, minSize: 6,
                                                    maxSize: headlineMax)
            let subSize = hasSub
                ? try text.fittingSize(subline, style: .regular, width: innerWidth, minSize: 6,
                                       maxSize: max(6, area.height * 14 / 100)) : 0
            // DejaVu's cap height is ~0.73 em; centre the block of caps visually.
            let capHead = headlineSize * 73 / 100
            let gap = hasSub ? max(4, area.height / 10) : 0
            let subHeight = hasSub ? subSize * 73 / 100 : 0
            let top = area.y + (area.height - (capHead + gap + subHeight)) / 2
            let headBaseline = top + capHead
            try text.draw(headline, on: &out, x: area.midX, baseline: headBaseline, style: .bold,
                          pixelSize: headlineSize, color: theme.ink, alignment: .center, clip: area)
            if hasSub {
                try text.draw(subline, on: &out, x: area.midX, baseline: headBaseline + gap + subHeight,
                              style: .regular, pixelSize: subSize, color: theme.ink, alignment: .center, clip: area)
            }
        }
        if !tamperedBlocks.isEmpty {
            let banner = Self.tamperBannerRect(width: image.width, height: image.height)
            out.fill(banner, with: .alertRed)
            let label = "⚠ TAMPERED · edited areas outlined in red"
            let size = try text.fittingSize(label, style: .bold, width: banner.width - 16, minSize: 6,
                                            maxSize: banner.height * 55 / 100)
            try text.draw(label, on: &out, x: banner.midX, baseline: banner.y + (banner.height + size * 73 / 100) / 2,
                          style: .bold, pixelSize: size, color: .white, alignment: .center)
            for stroke in TamperOutline(blocks: tamperedBlocks.map { $0.intersection(bounds) }).strokes {
                out.fill(stroke, with: .alertRed)
            }
        }
        return out
    }
}

extension PixelBuffer {
    /// A vertical dashed line `width` pixels wide with its left edge at `x`.
    mutating func fillRect(verticalDashesAt x: Int, from top: Int, to bottom: Int, width: Int, color: RGBColor,
                           dash: Int, gap: Int) {
        var y = top
        while y < bottom {
            fill(Rect(x: x, y: y, width: width, height: min(dash, bottom - y)), with: color)
            y += dash + gap
        }
    }
}
