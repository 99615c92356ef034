internal import CQREncode
public import ImageCore
import Foundation
import Synchronization

/// A QR code symbol made by libqrencode (error correction level M, 8-bit mode, case kept).
///
/// ```swift
/// let qr = try QRCode(encoding: "CPN-2026-000123")
/// let box = qr.draw(on: &image, x: 600, y: 100, moduleSize: 4)
/// ```
public struct QRCode: Sendable, Equatable {
    /// Modules per side (21 for version 1, +4 per version).
    public let size: Int
    /// Row-major, `true` = dark module; `size * size` entries.
    public let modules: [Bool]
    /// The QR version libqrencode chose.
    public let version: Int

    /// Quiet zone recommended by the standard, in modules.
    public static let standardQuietZone = 4

    // libqrencode keeps no shared mutable state in 4.x, but the lock makes that an
    // invariant of this module rather than of the installed library; encoding costs µs.
    private static let encoder = Mutex(())

    /// Encodes `text` (UTF-8 bytes) at level M.
    public init(encoding text: String) throws(ArtError) {
        guard !text.isEmpty else { throw .qrEncodingFailed("empty text") }
        (size, modules, version) = try QRCode.encoder.withLock { _ throws(ArtError) in
            guard let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else {
                throw .qrEncodingFailed(String(cString: strerror(errno)))
            }
            defer { QRcode_free(code) }
            let n = Int(code.pointee.width)
            let data = code.pointee.data!
            var modules = [Bool](repeating: false, count: n * n)
            for i in 0..<(n * n) { modules[i] = data[i] & 1 != 0 }
            return (n, modules, Int(code.pointee.version))
        }
    }

    /// Whether module (x, y) is dark.
    public subscript(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// Side in pixels including the quiet zone on both sides.
    public func pixelSide(moduleSize: Int, quietZone: Int = QRCode.standardQuietZone) -> Int {
        (size + 2 * quietZone) * moduleSize
    }

    /// Draws the symbol as crisp squares, `light` quiet zone included, with the quiet
    /// zone's top-left corner at (x, y). Returns the whole square drawn.
    @discardableResult
    public func draw(
        on image: inout PixelBuffer, x: Int, y: Int, moduleSize: Int, quietZone: Int = QRCode.standardQuietZone,
        dark: RGBColor = .black, light: RGBColor = .white
    ) -> Rect {
        let side = pixelSide(moduleSize: moduleSize, quietZone: quietZone)
        let box = Rect(x: x, y: y, width: side, height: side)
        image.fill(box, with: light)
        let origin = quietZone * moduleSize
        for my in 0..<size {
            var mx = 0
            while mx < size {
                guard self[mx, my] else {
                    mx += 1
                    continue
                }
                // One fill per horizontal run of dark modules.
                var end = mx
                while end < size && self[end, my] { end += 1 }
                image.fill(
                    Rect(x: x + origin + mx * moduleSize, y: y + origin + my * moduleSize,
                         width: (end - mx) * moduleSize, height: moduleSize),
                    with: dark)
                mx = end
            }
        }
        return box
    }
}
