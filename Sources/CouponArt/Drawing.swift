public import ImageCore

/// Flat-colour drawing on RGB and RGBA buffers. Everything clips to the image; on RGBA
/// images painted pixels become opaque. These are the primitives the artwork is made of,
/// public so that tests and tools can paint over a coupon the same way.
extension PixelBuffer {
    /// Fills `rect` (clipped) with a solid colour.
    public mutating func fill(_ rect: Rect, with color: RGBColor) {
        let r = rect.intersection(Rect(x: 0, y: 0, width: width, height: height))
        guard !r.isEmpty else { return }
        let c = format.channels
        let w = width
        bytes.withUnsafeMutableBufferPointer { p in
            let first = (r.y * w + r.x) * c
            var i = first
            for _ in 0..<r.width {
                p[i] = color.r
                p[i &+ 1] = color.g
                p[i &+ 2] = color.b
                if c == 4 { p[i &+ 3] = 255 }
                i &+= c
            }
            let span = r.width * c
            guard let base = p.baseAddress else { return }
            for y in (r.y + 1)..<r.maxY {
                (base + (y * w + r.x) * c).update(from: base + first, count: span)
            }
        }
    }

    /// Mixes `color` over `rect` (clipped) with a constant opacity `alpha` (0...255).
    public mutating func blend(_ rect: Rect, with color: RGBColor, alpha: UInt8) {
        let r = rect.intersection(Rect(x: 0, y: 0, width: width, height: height))
        guard !r.isEmpty, alpha > 0 else { return }
        if alpha == 255 { return fill(r, with: color) }
        let c = format.channels
        let w = width
        let a = UInt32(alpha), ia = 255 - UInt32(alpha)
        let cr = UInt32(color.r) * a, cg = UInt32(color.g) * a, cb = UInt32(color.b) * a
        bytes.withUnsafeMutableBufferPointer { p in
            for y in r.y..<r.maxY {
                var i = (y * w + r.x) * c
                for _ in 0..<r.width {
                    p[i] = Self.div255(UInt32(p[i]) &* ia &+ cr)
                    p[i &+ 1] = Self.div255(UInt32(p[i &+ 1]) &* ia &+ cg)
                    p[i &+ 2] = Self.div255(UInt32(p[i &+ 2]) &* ia &+ cb)
                    if c == 4 { p[i &+ 3] = 255 }
                    i &+= c
                }
            }
        }
    }

    /// Outlines `rect` with lines `lineWidth` pixels thick, drawn inside the rectangle.
    public mutating func stroke(_ rect: Rect, with color: RGBColor, lineWidth: Int = 1) {
        guard !rect.isEmpty, lineWidth > 0 else { return }
        let t = min(lineWidth, (rect.width + 1) / 2, (rect.height + 1) / 2)
        fill(Rect(x: rect.x, y: rect.y, width: rect.width, height: t), with: color)
        fill(Rect(x: rect.x, y: rect.maxY - t, width: rect.width, height: t), with: color)
        fill(Rect(x: rect.x, y: rect.y, width: t, height: rect.height), with: color)
        fill(Rect(x: rect.maxX - t, y: rect.y, width: t, height: rect.height), with: color)
    }

    /// Outlines `rect` with a dashed line (`dash` pixels on, `gap` off), inside the rectangle.
    public mutating func strokeDashed(_ rect: Rect, with color: RGBColor, lineWidth: Int = 2, dash: Int = 10, gap: Int = 6) {
        guard !rect.isEmpty, lineWidth > 0, dash > 0 else { return }
        let t = lineWidth
        let period = dash + max(0, gap)
        var x = rect.x
        while x < rect.maxX {
            let len = min(dash, rect.maxX - x)
            fill(Rect(x: x, y: rect.y, width: len, height: t), with: color)
            fill(Rect(x: x, y: rect.maxY - t, width: len, height: t), with: color)
            x += period
        }
        var y = rect.y
        while y < rect.maxY {
            let len = min(dash, rect.maxY - y)
            fill(Rect(x: rect.x, y: y, width: t, height: len), with: color)
            fill(Rect(x: rect.maxX - t, y: y, width: t, height: len), with: color)
            y += period
        }
    }

    /// Fills a disc centred on (cx, cy) with an antialiased edge.
    public mutating func fillCircle(centerX cx: Double, centerY cy: Double, radius: Double, with color: RGBColor) {
        guard radius > 0 else { return }
        let x0 = max(0, Int((cx - radius - 1).rounded(.down))), x1 = min(width - 1, Int((cx + radius + 1).rounded(.up)))
        let y0 = max(0, Int((cy - radius - 1).rounded(.down))), y1 = min(height - 1, Int((cy + radius + 1).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        let c = format.channels
        let w = width
        bytes.withUnsafeMutableBufferPointer { p in
            for y in y0...y1 {
                let dy = Double(y) + 0.5 - cy
                for x in x0...x1 {
                    let dx = Double(x) + 0.5 - cx
                    let d = (dx * dx + dy * dy).squareRoot()
                    let coverage = min(1, max(0, radius + 0.5 - d))
                    guard coverage > 0 else { continue }
                    let a = UInt32((coverage * 255).rounded())
                    Self.blendPixel(p, at: (y * w + x) * c, channels: c, color: color, alpha: a)
                }
            }
        }
    }

    /// Alpha-blends an 8-bit coverage mask (`maskWidth` x `maskHeight`, row stride `maskPitch`)
    /// in `color` with its top-left corner at (x, y). The mask is clipped to `clip` and the image.
    mutating func blendMask(
        _ mask: UnsafeBufferPointer<UInt8>, maskWidth: Int, maskHeight: Int, maskPitch: Int,
        x: Int, y: Int, color: RGBColor, clip: Rect? = nil
    ) {
        var bounds = Rect(x: 0, y: 0, width: width, height: height)
        if let clip { bounds = bounds.intersection(clip) }
        let area = Rect(x: x, y: y, width: maskWidth, height: maskHeight).intersection(bounds)
        guard !area.isEmpty else { return }
        let c = format.channels
        let w = width
        bytes.withUnsafeMutableBufferPointer { p in
            for py in area.y..<area.maxY {
                let row = (py - y) * maskPitch - x
                var i = (py * w + area.x) * c
                for px in area.x..<area.maxX {
                    let a = UInt32(mask[row + px])
                    if a != 0 { Self.blendPixel(p, at: i, channels: c, color: color, alpha: a) }
                    i &+= c
                }
            }
        }
    }

    @inline(__always)
    static func blendPixel(_ p: UnsafeMutableBufferPointer<UInt8>, at i: Int, channels c: Int, color: RGBColor, alpha a: UInt32) {
        if a >= 255 {
            p[i] = color.r
            p[i &+ 1] = color.g
            p[i &+ 2] = color.b
            if c == 4 { p[i &+ 3] = 255 }
            return
        }
        let ia = 255 &- a
        p[i] = div255(UInt32(p[i]) &* ia &+ UInt32(color.r) &* a)
        p[i &+ 1] = div255(UInt32(p[i &+ 1]) &* ia &+ UInt32(color.g) &* a)
        p[i &+ 2] = div255(UInt32(p[i &+ 2]) &* ia &+ UInt32(color.b) &* a)
        if c == 4 { p[i &+ 3] = UInt8(UInt32(p[i &+ 3]) + div255Int((255 &- UInt32(p[i &+ 3])) &* a)) }
    }

    /// Exact rounding division by 255 for values up to 255 * 255.
    @inline(__always)
    static func div255(_ v: UInt32) -> UInt8 { UInt8(truncatingIfNeeded: div255Int(v)) }

    @inline(__always)
    static func div255Int(_ v: UInt32) -> UInt32 {
        let t = v &+ 128
        return (t &+ (t >> 8)) >> 8
    }
}

extension PixelBuffer {
    /// This image scaled to exactly `width` x `height` so that it covers the whole area
    /// (aspect kept, the overflow cropped evenly), bilinear, as RGB. Transparent pixels
    /// are composed over `matte`.
    public func scaledToFill(width outW: Int, height outH: Int, matte: RGBColor = .white) -> PixelBuffer {
        var out = PixelBuffer(width: outW, height: outH, format: .rgb8)
        guard width > 0, height > 0, outW > 0, outH > 0 else { return out }
        let scale = max(Double(outW) / Double(width), Double(outH) / Double(height))
        // Source coordinates of the output's top-left corner, centring the crop.
        let offX = (Double(width) - Double(outW) / scale) / 2
        let offY = (Double(height) - Double(outH) / scale) / 2
        let c = format.channels
        let srcW = width, srcH = height
        // Precompute horizontal taps.
        var xs0 = [Int](repeating: 0, count: outW), xs1 = xs0
        var wx = [UInt32](repeating: 0, count: outW)
        for x in 0..<outW {
            let sx = min(max(offX + (Double(x) + 0.5) / scale - 0.5, 0), Double(srcW - 1))
            let x0 = Int(sx)
            xs0[x] = x0 * c
            xs1[x] = min(x0 + 1, srcW - 1) * c
            wx[x] = UInt32(((sx - Double(x0)) * 256).rounded())
        }
        let hasAlpha = c == 4
        let mr = UInt32(matte.r), mg = UInt32(matte.g), mb = UInt32(matte.b)
        bytes.withUnsafeBufferPointer { s in
            out.bytes.withUnsafeMutableBufferPointer { d in
                var o = 0
                for y in 0..<outH {
                    let sy = min(max(offY + (Double(y) + 0.5) / scale - 0.5, 0), Double(srcH - 1))
                    let y0 = Int(sy)
                    let r0 = y0 * srcW * c, r1 = min(y0 + 1, srcH - 1) * srcW * c
                    let fy = UInt32(((sy - Double(y0)) * 256).rounded())
                    for x in 0..<outW {
                        let fx = wx[x]
                        let a = r0 + xs0[x], b = r0 + xs1[x], cc = r1 + xs0[x], dd = r1 + xs1[x]
                        var px: (UInt32, UInt32, UInt32, UInt32) = (0, 0, 0, 255)
                        func tap(_ k: Int) -> UInt32 {
                            let top = UInt32(s[a + k]) * (256 - fx) + UInt32(s[b + k]) * fx
                            let bottom = UInt32(s[cc + k]) * (256 - fx) + UInt32(s[dd + k]) * fx
                            return (top * (256 - fy) + bottom * fy + 32768) >> 16
                        }
                        px.0 = tap(0)
                        px.1 = tap(1)
                        px.2 = tap(2)
                        if hasAlpha {
                            let al = tap(3), ia = 255 - al
                            px.0 = (px.0 * al + mr * ia + 127) / 255
                            px.1 = (px.1 * al + mg * ia + 127) / 255
                            px.2 = (px.2 * al + mb * ia + 127) / 255
                        }
                        d[o] = UInt8(px.0)
                        d[o + 1] = UInt8(px.1)
                        d[o + 2] = UInt8(px.2)
                        o += 3
                    }
                }
            }
        }
        return out
    }
}

extension PixelBuffer {
    /// Fills `rect` with corners rounded to `radius` (antialiased), at opacity `alpha`.
    public mutating func fillRoundedRect(_ rect: Rect, radius: Int, with color: RGBColor, alpha: UInt8 = 255) {
        guard !rect.isEmpty else { return }
        let r = max(0, min(radius, rect.width / 2, rect.height / 2))
        guard r > 0 else { return blend(rect, with: color, alpha: alpha) }
        // Three non-overlapping bands, then four quarter discs.
        blend(Rect(x: rect.x + r, y: rect.y, width: rect.width - 2 * r, height: rect.height), with: color, alpha: alpha)
        blend(Rect(x: rect.x, y: rect.y + r, width: r, height: rect.height - 2 * r), with: color, alpha: alpha)
        blend(Rect(x: rect.maxX - r, y: rect.y + r, width: r, height: rect.height - 2 * r), with: color, alpha: alpha)
        let radiusD = Double(r)
        let corners = [
            (rect.x, rect.y, Double(rect.x + r), Double(rect.y + r)),
            (rect.maxX - r, rect.y, Double(rect.maxX - r), Double(rect.y + r)),
            (rect.x, rect.maxY - r, Double(rect.x + r), Double(rect.maxY - r)),
            (rect.maxX - r, rect.maxY - r, Double(rect.maxX - r), Double(rect.maxY - r)),
        ]
        let bounds = Rect(x: 0, y: 0, width: width, height: height)
        let c = format.channels
        let w = width
        bytes.withUnsafeMutableBufferPointer { p in
            for (x0, y0, cx, cy) in corners {
                let square = Rect(x: x0, y: y0, width: r, height: r).intersection(bounds)
                guard !square.isEmpty else { continue }
                for y in square.y..<square.maxY {
                    let dy = Double(y) + 0.5 - cy
                    for x in square.x..<square.maxX {
                        let dx = Double(x) + 0.5 - cx
                        let coverage = min(1, max(0, radiusD + 0.5 - (dx * dx + dy * dy).squareRoot()))
                        guard coverage > 0 else { continue }
                        let a = UInt32((coverage * Double(alpha)).rounded())
                        Self.blendPixel(p, at: (y * w + x) * c, channels: c, color: color, alpha: a)
                    }
                }
            }
        }
    }
}
