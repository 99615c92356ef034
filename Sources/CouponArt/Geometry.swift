public import ImageCore

/// Rectangles are ImageCore's `PixelRect`, shared with the watermark's tamper map.
public typealias Rect = PixelRect

/// An opaque sRGB colour, 8 bits per channel.
public struct RGBColor: Sendable, Hashable, Codable {
    public var r: UInt8
    public var g: UInt8
    public var b: UInt8

    public init(r: UInt8, g: UInt8, b: UInt8) {
        self.r = r
        self.g = g
        self.b = b
    }

    /// From `0xRRGGBB`.
    public init(hex: UInt32) {
        self.init(r: UInt8((hex >> 16) & 0xFF), g: UInt8((hex >> 8) & 0xFF), b: UInt8(hex & 0xFF))
    }

    /// Rec. 601 luma, 0...255.
    public var luma: Int { (Int(r) * 299 + Int(g) * 587 + Int(b) * 114) / 1000 }

    /// This colour mixed towards `other` by `amount` (0 = self, 255 = other).
    public func mixed(with other: RGBColor, amount: UInt8) -> RGBColor {
        let t = Int(amount)
        func mix(_ a: UInt8, _ b: UInt8) -> UInt8 {
            let sum: Int = Int(a) * (255 - t) + Int(b) * t + 127
            return UInt8(sum / 255)
        }
        return RGBColor(r: mix(r, other.r), g: mix(g, other.g), b: mix(b, other.b))
    }

    public static let white = RGBColor(r: 255, g: 255, b: 255)
    public static let black = RGBColor(r: 0, g: 0, b: 0)
    /// The red used for tamper marks.
    public static let alertRed = RGBColor(r: 220, g: 20, b: 30)
}
