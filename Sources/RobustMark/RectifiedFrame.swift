import ImageCore

/// A picture's luma resampled so that the tile grid a ``TileLattice`` describes is the
/// detection tile again (square, upright, ``RobustLayout/detectionTile`` pixels a side),
/// then whitened: what ``TileFold`` and ``PilotSync`` read, whatever scale, aspect or
/// rotation the picture took on.
///
/// Resampled from the picture itself, not from the detection frame the lattice was read
/// in: a coupon that fills a fifth of a phone screenshot has cells of under 2 pixels in
/// the frame, and of 9 in the screenshot. A grid on the axes (scaled, squeezed, cropped
/// or padded) takes one resampling on each axis; a tilted one is resampled to the tile's
/// size, then turned upright by bilinear interpolation (``Plane/warped(by:size:origin:)``).
/// Frames larger than ``maxPixels`` are resampled to a smaller tile (``tileScale`` below
/// 1), which ``TileFold`` takes as its scale.
struct RectifiedFrame {
    let whitened: Plane
    /// The tile's sides in `whitened` (across and down), over ``RobustLayout/detectionTile``.
    let tileScale: SIMD2<Double>

    /// The most samples a rectified frame has: as many as the largest detection frame.
    static let maxPixels = RobustMark.maxFramePixels

    /// `image` rectified for `lattice`, read in a frame `frameFactor` times the image's size.
    init(_ image: PixelBuffer, lattice: TileLattice, frameFactor: Double) {
        let tile = Double(RobustLayout.detectionTile)
        let (width, height) = (Double(image.width), Double(image.height))
        // The lattice in the picture's pixels.
        let a = lattice.a / frameFactor, b = lattice.b / frameFactor
        if lattice.isAxisAligned {
            var (sx, sy) = (tile / a.x, tile / b.y)
            let shrink = min(1, (Double(Self.maxPixels) / (width * sx * height * sy)).squareRoot())
            (sx, sy) = (sx * shrink, sy * shrink)
            let size = (Int((width * sx).rounded()), Int((height * sy).rounded()))
            let plane = Plane(luma: image, resampledTo: max(size.0, 1), max(size.1, 1))
            whitened = Whitening.whiten(plane)
            // The sides as the rounded plane has them.
            tileScale = SIMD2(a.x * Double(plane.width) / width, b.y * Double(plane.height) / height) / tile
            return
        }
        let isotropic = tile / abs(lattice.determinant / (frameFactor * frameFactor)).squareRoot()
        let shrink = min(1, (Double(Self.maxPixels) / (width * height * isotropic * isotropic)).squareRoot())
        let s = isotropic * shrink
        let plane = Plane(
            luma: image, resampledTo: max(Int((width * s).rounded()), 1), max(Int((height * s).rounded()), 1))
        let scale = SIMD2(Double(plane.width) / width, Double(plane.height) / height)
        // Rectified coordinates c (a tile of `tile * shrink` pixels, upright) to the plane's: q = m * c.
        let side = tile * shrink
        let m = (a * scale / side, b * scale / side)
        let det = m.0.x * m.1.y - m.0.y * m.1.x
        let inverse = (SIMD2(m.1.y, -m.0.y) / det, SIMD2(-m.1.x, m.0.x) / det)
        let corners = [SIMD2(0.0, 0), SIMD2(Double(plane.width), 0), SIMD2(0, Double(plane.height)),
                       SIMD2(Double(plane.width), Double(plane.height))]
            .map { inverse.0 * $0.x + inverse.1 * $0.y }
        let low = corners.reduce(corners[0]) { pointwiseMin($0, $1) }
        let high = corners.reduce(corners[0]) { pointwiseMax($0, $1) }
        let size = (Int((high.x - low.x).rounded(.up)), Int((high.y - low.y).rounded(.up)))
        whitened = Whitening.whiten(plane.warped(by: m, size: size, origin: low))
        tileScale = SIMD2(repeating: shrink)
    }
}
