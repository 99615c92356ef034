/// An axis-aligned rectangle of pixels: `x`, `y` is the top-left pixel; it covers columns
/// `x..<x+width` and rows `y..<y+height`. Shared by the watermark's tamper map and the
/// artwork's layout.
public struct PixelRect: Sendable, Hashable, Codable, CustomStringConvertible {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = width
        self.height = height
    }

    /// One past the last column.
    @inlinable public var maxX: Int { x + width }
    /// One past the last row.
    @inlinable public var maxY: Int { y + height }
    /// True when the rectangle covers no pixel.
    @inlinable public var isEmpty: Bool { width <= 0 || height <= 0 }
    /// Horizontal centre (rounded down).
    @inlinable public var midX: Int { x + width / 2 }
    /// Vertical centre (rounded down).
    @inlinable public var midY: Int { y + height / 2 }
    @inlinable public var area: Int { width * height }

    /// Whether pixel (px, py) lies inside.
    @inlinable public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && px < maxX && py >= y && py < maxY
    }

    /// Whether `other` lies entirely inside this rectangle.
    public func contains(_ other: PixelRect) -> Bool {
        other.x >= x && other.y >= y && other.maxX <= maxX && other.maxY <= maxY
    }

    /// The common part of two rectangles; empty (width or height 0) when they do not meet.
    public func intersection(_ other: PixelRect) -> PixelRect {
        let x0 = max(x, other.x)
        let y0 = max(y, other.y)
        let x1 = min(maxX, other.maxX)
        let y1 = min(maxY, other.maxY)
        return PixelRect(x: x0, y: y0, width: max(0, x1 - x0), height: max(0, y1 - y0))
    }

    /// Shrinks (positive `dx`/`dy`) or grows (negative) the rectangle on every side.
    public func insetBy(dx: Int, dy: Int) -> PixelRect {
        PixelRect(x: x + dx, y: y + dy, width: max(0, width - 2 * dx), height: max(0, height - 2 * dy))
    }

    /// `[x,y,w,h]`, the CLI's JSON shape.
    public var array: [Int] { [x, y, width, height] }

    public var description: String { "[\(x),\(y),\(width),\(height)]" }
}
