import Foundation

/// Whole-picture geometry: turning, mirroring, placing a picture on a larger canvas and
/// drawing filled rectangles. What editors, messengers and screenshots do to a picture, for
/// trials and tests of what a mark survives; none of it is a hot path. Every operation
/// works on `.rgb8` and `.rgba8` alike and keeps the format; a colour (`fill`, `colour`)
/// is one value per channel (alpha included for `.rgba8`).
extension PixelBuffer {
    /// This picture turned by `degrees` about its centre (positive: clockwise on screen),
    /// on a canvas just large enough to hold all of it; the corners the picture does not
    /// cover are `fill`. Sampled bilinearly at each new pixel's centre, with pixels outside
    /// the picture taken as `fill`, so its edges are smooth. A turn by a multiple of 90
    /// degrees moves whole pixels (up to rounding of the sine and cosine).
    ///
    /// ```swift
    /// let tilted = coupon.rotated(degrees: 2.5, fill: [255, 255, 255])
    /// ```
    public func rotated(degrees: Double, fill: [UInt8]) -> PixelBuffer {
        let channels = format.channels
        precondition(fill.count == channels, "fill has \(channels) channels")
        let radians = degrees * .pi / 180
        var (cosine, sine) = (cos(radians), sin(radians))
        // Exact quarter turns: cos(90°) is 6e-17, not 0.
        if abs(cosine) < 1e-12 { cosine = 0 }
        if abs(sine) < 1e-12 { sine = 0 }
        let (w, h) = (Double(width), Double(height))
        // The bounding box of the turned picture; the tolerance keeps 800.0000000001 at 800.
        let newWidth = max(1, Int((abs(w * cosine) + abs(h * sine) - 1e-6).rounded(.up)))
        let newHeight = max(1, Int((abs(w * sine) + abs(h * cosine) - 1e-6).rounded(.up)))
        var out = PixelBuffer(width: newWidth, height: newHeight, format: format)
        let fillSamples = fill.map(Double.init)
        let (sourceWidth, sourceHeight) = (width, height)
        let (outCentreX, outCentreY) = (Double(newWidth) / 2, Double(newHeight) / 2)
        let (inCentreX, inCentreY) = (w / 2 - 0.5, h / 2 - 0.5)
        bytes.withUnsafeBufferPointer { source in
            out.bytes.withUnsafeMutableBufferPointer { target in
                var sample = [Double](repeating: 0, count: channels)
                for y in 0..<newHeight {
                    let v = Double(y) + 0.5 - outCentreY
                    for x in 0..<newWidth {
                        let u = Double(x) + 0.5 - outCentreX
                        // The inverse turn: where this pixel's centre was in the picture.
                        let sx = u * cosine + v * sine + inCentreX
                        let sy = -u * sine + v * cosine + inCentreY
                        let x0 = Int(sx.rounded(.down)), y0 = Int(sy.rounded(.down))
                        let tx = sx - Double(x0), ty = sy - Double(y0)
                        for c in 0..<channels { sample[c] = 0 }
                        func add(_ px: Int, _ py: Int, _ weight: Double) {
                            guard weight > 0 else { return }
                            if px >= 0, py >= 0, px < sourceWidth, py < sourceHeight {
                                let at = (py * sourceWidth + px) * channels
                                for c in 0..<channels { sample[c] += weight * Double(source[at + c]) }
                            } else {
                                for c in 0..<channels { sample[c] += weight * fillSamples[c] }
                            }
                        }
                        add(x0, y0, (1 - tx) * (1 - ty))
                        add(x0 + 1, y0, tx * (1 - ty))
                        add(x0, y0 + 1, (1 - tx) * ty)
                        add(x0 + 1, y0 + 1, tx * ty)
                        let at = (y * newWidth + x) * channels
                        for c in 0..<channels { target[at + c] = UInt8(min(max(sample[c], 0), 255).rounded()) }
                    }
                }
            }
        }
        return out
    }

    /// This picture mirrored left to right (what a selfie camera or "flip horizontal" does).
    public func mirrored() -> PixelBuffer {
        let channels = format.channels
        var out = PixelBuffer(width: width, height: height, format: format)
        let (w, h) = (width, height)
        bytes.withUnsafeBufferPointer { source in
            out.bytes.withUnsafeMutableBufferPointer { target in
                for y in 0..<h {
                    let row = y * w
                    for x in 0..<w {
                        let from = (row + x) * channels, to = (row + w - 1 - x) * channels
                        for c in 0..<channels { target[to + c] = source[from + c] }
                    }
                }
            }
        }
        return out
    }

    /// A `width` x `height` canvas of `fill` with this picture's top-left corner at
    /// (`x`, `y`) (either may be negative); what falls outside the canvas is cut off.
    ///
    /// ```swift
    /// let shared = coupon.pasted(into: 1200, 900, at: 200, 250, fill: [255, 255, 255])
    /// ```
    public func pasted(into width: Int, _ height: Int, at x: Int, _ y: Int, fill: [UInt8]) -> PixelBuffer {
        var canvas = PixelBuffer(width: width, height: height, format: format)
        canvas.fill(PixelRect(x: 0, y: 0, width: width, height: height), with: fill)
        canvas.paste(self, at: x, y)
        return canvas
    }

    /// Draws `picture` (of the same format) over this one with its top-left corner at
    /// (`x`, `y`) (either may be negative); what falls outside is cut off.
    public mutating func paste(_ picture: PixelBuffer, at x: Int, _ y: Int) {
        precondition(picture.format == format, "pasting \(picture.format) onto \(format)")
        let area = PixelRect(x: 0, y: 0, width: width, height: height)
            .intersection(PixelRect(x: x, y: y, width: picture.width, height: picture.height))
        guard !area.isEmpty else { return }
        let channels = format.channels
        let run = area.width * channels
        for row in area.y..<area.maxY {
            let from = ((row - y) * picture.width + (area.x - x)) * channels
            let to = (row * width + area.x) * channels
            bytes.replaceSubrange(to..<to + run, with: picture.bytes[from..<from + run])
        }
    }

    /// Paints the part of `rect` inside the picture in `colour` (one value per channel).
    public mutating func fill(_ rect: PixelRect, with colour: [UInt8]) {
        precondition(colour.count == format.channels, "colour has \(format.channels) channels")
        let area = PixelRect(x: 0, y: 0, width: width, height: height).intersection(rect)
        guard !area.isEmpty else { return }
        let run = [UInt8]((0..<area.width).flatMap { _ in colour })
        for row in area.y..<area.maxY {
            let to = offset(x: area.x, y: row)
            bytes.replaceSubrange(to..<to + run.count, with: run)
        }
    }

    /// A copy of this picture with the part of `rect` inside it painted in `colour`.
    public func filled(_ rect: PixelRect, with colour: [UInt8]) -> PixelBuffer {
        var copy = self
        copy.fill(rect, with: colour)
        return copy
    }
}
