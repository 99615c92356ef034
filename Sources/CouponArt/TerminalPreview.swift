public import ImageCore
import Foundation

/// Draws an image as text for a terminal.
public enum TerminalPreview {
    /// The plain ramp from dark to light ink: light pixels become spaces, dark ones `@`,
    /// like ink on paper.
    public static let ramp: [Character] = Array(" .:-=+*#%@")

    /// `image` as `columns` characters per line.
    ///
    /// With `colour`, each character is an upper half block "▀" whose foreground is the
    /// upper pixel and background the lower one (24-bit ANSI), two image rows per text
    /// row, so pixels stay square; every line ends with a reset. Without `colour`, a plain
    /// ramp by luminance (stretched to the image's own range) with one text row per two pixel rows of the scaled image
    /// (characters are about twice as tall as wide), no escape codes. Downscaling averages
    /// the source pixels each cell covers. Lines end with "\n".
    public static func render(image: PixelBuffer, columns: Int, colour: Bool) -> String {
        guard image.width > 0, image.height > 0, columns > 0 else { return "" }
        let outW = columns
        // Square pixels at this width; colour packs two of them per text row.
        let pixelRows = max(1, Int((Double(image.height) * Double(outW) / Double(image.width)).rounded()))
        if colour {
            let rows = max(1, (pixelRows + 1) / 2)
            let grid = downscale(image, width: outW, height: rows * 2)
            var out = ""
            out.reserveCapacity(rows * outW * 40)
            for row in 0..<rows {
                var lastFG: (UInt8, UInt8, UInt8)? = nil
                var lastBG: (UInt8, UInt8, UInt8)? = nil
                for x in 0..<outW {
                    let top = grid[(row * 2) * outW + x], bottom = grid[(row * 2 + 1) * outW + x]
                    if lastFG == nil || lastFG! != top {
                        out += "\u{1B}[38;2;\(top.0);\(top.1);\(top.2)m"
                        lastFG = top
                    }
                    if lastBG == nil || lastBG! != bottom {
                        out += "\u{1B}[48;2;\(bottom.0);\(bottom.1);\(bottom.2)m"
                        lastBG = bottom
                    }
                    out += "▀"
                }
                out += "\u{1B}[0m\n"
            }
            return out
        } else {
            let rows = max(1, (pixelRows + 1) / 2)
            let grid = downscale(image, width: outW, height: rows)
            var out = ""
            out.reserveCapacity(rows * (outW + 1))
            let top = ramp.count - 1
            let lumas = grid.map { (Int($0.0) * 299 + Int($0.1) * 587 + Int($0.2) * 114) / 1000 }
            // Stretch the image's own luminance range over the whole ramp (auto levels).
            let lo = lumas.min() ?? 0, hi = max((lumas.max() ?? 255), lo + 1)
            for row in 0..<rows {
                for x in 0..<outW {
                    let level = (lumas[row * outW + x] - lo) * 255 / (hi - lo)
                    // Dark -> dense character.
                    out.append(ramp[((255 - level) * top + 127) / 255])
                }
                out += "\n"
            }
            return out
        }
    }

    /// Box-filter downscale (or nearest upscale) to `width` x `height` RGB triples.
    /// Transparent pixels are composed over white.
    static func downscale(_ image: PixelBuffer, width w: Int, height h: Int) -> [(UInt8, UInt8, UInt8)] {
        var out = [(UInt8, UInt8, UInt8)](repeating: (0, 0, 0), count: w * h)
        let c = image.format.channels
        let srcW = image.width, srcH = image.height
        image.bytes.withUnsafeBufferPointer { p in
            for oy in 0..<h {
                let y0 = oy * srcH / h
                let y1 = max(y0 + 1, (oy + 1) * srcH / h)
                for ox in 0..<w {
                    let x0 = ox * srcW / w
                    let x1 = max(x0 + 1, (ox + 1) * srcW / w)
                    var r = 0, g = 0, b = 0
                    for y in y0..<y1 {
                        var i = (y * srcW + x0) * c
                        for _ in x0..<x1 {
                            var pr = Int(p[i]), pg = Int(p[i + 1]), pb = Int(p[i + 2])
                            if c == 4 {
                                let a = Int(p[i + 3])
                                pr = (pr * a + 255 * (255 - a)) / 255
                                pg = (pg * a + 255 * (255 - a)) / 255
                                pb = (pb * a + 255 * (255 - a)) / 255
                            }
                            r += pr
                            g += pg
                            b += pb
                            i += c
                        }
                    }
                    let n = (y1 - y0) * (x1 - x0)
                    out[oy * w + ox] = (UInt8((r + n / 2) / n), UInt8((g + n / 2) / n), UInt8((b + n / 2) / n))
                }
            }
        }
        return out
    }

    /// The terminal's width in columns: `TIOCGWINSZ` on stdout, else `$COLUMNS`, else 80.
    public static func terminalColumns(environment: [String: String] = ProcessInfo.processInfo.environment) -> Int {
        var size = winsize()
        #if canImport(Darwin)
        let request: UInt = 0x4008_7468  // TIOCGWINSZ; the C macro does not import on Darwin
        #else
        let request = UInt(TIOCGWINSZ)
        #endif
        let fromTerminal = ioctl(STDOUT_FILENO, request, &size) == 0 && size.ws_col > 0 ? Int(size.ws_col) : nil
        return columns(windowColumns: fromTerminal, environment: environment)
    }

    /// The choice `terminalColumns` makes once the window size is known (nil: not a terminal).
    static func columns(windowColumns: Int?, environment: [String: String]) -> Int {
        if let windowColumns, windowColumns > 0 { return windowColumns }
        if let text = environment["COLUMNS"], let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 {
            return value
        }
        return 80
    }

    /// Visible characters in one line of `render` output (ANSI escape sequences excluded).
    public static func visibleWidth(_ line: Substring) -> Int {
        var count = 0
        var inEscape = false
        for ch in line.unicodeScalars {
            if inEscape {
                if ch == "m" { inEscape = false }
            } else if ch == "\u{1B}" {
                inEscape = true
            } else if ch != "\n" {
                count += 1
            }
        }
        return count
    }
}
