internal import CFreeType
public import ImageCore

/// Horizontal placement of text relative to the anchor x.
public enum TextAlignment: Sendable {
    case left, center, right
}

/// The size of a run of text at a pixel size: `width` is the advance width in pixels,
/// `ascent`/`descent` the face's line extents above/below the baseline (both positive).
public struct TextMetrics: Sendable, Equatable {
    public var width: Int
    public var ascent: Int
    public var descent: Int
    /// `ascent + descent`.
    public var height: Int { ascent + descent }
}

/// Draws antialiased UTF-8 text with FreeType.
///
/// Each instance owns its own `FT_Library` and faces (memory faces over font bytes
/// that are read once per process) and a glyph cache, so drawing a repeated glyph costs
/// a blit. FreeType objects are not thread-safe: use **one instance per task or thread**
/// (the type is deliberately not `Sendable`). Creating an instance is cheap once the
/// font files have been read.
///
/// ```swift
/// let text = try TextRenderer()
/// try text.draw("15% OFF", on: &image, x: 400, baseline: 200, style: .bold, pixelSize: 48,
///               color: .black, alignment: .center)
/// ```
public final class TextRenderer {
    /// The directory the fonts came from.
    public let fontDirectory: String

    private var library: FT_Library?
    private var faces: [FT_Face?] = []
    private var blobs: [FontBlob] = []
    private var currentSize: [Int] = []
    private var glyphs: [UInt64: Glyph] = [:]
    /// Rendered glyphs kept per instance before the cache starts over.
    static let glyphCacheLimit = 4096

    private struct Glyph {
        var bitmap: [UInt8]
        var width: Int
        var rows: Int
        var left: Int
        var top: Int
        /// Advance in 26.6 fixed point.
        var advance: Int
        var index: UInt32
    }

    /// Loads every `FontStyle` from `fontDirectory` (nil: `$COUPONMARK_FONT_DIR`, else
    /// Debian's DejaVu directory). Throws `ArtError.fontNotFound` when a file is missing.
    public init(fontDirectory: String? = nil) throws(ArtError) {
        let directory = FontLocation.directory(explicit: fontDirectory)
        self.fontDirectory = directory
        var blobs: [FontBlob] = []
        for style in FontStyle.allCases {
            blobs.append(try FontBlob.load(directory + "/" + style.fileName))
        }
        var lib: FT_Library?
        let status = FT_Init_FreeType(&lib)
        guard status == 0, let lib else { throw .fontUnusable(path: directory, code: status) }
        library = lib
        self.blobs = blobs
        for blob in blobs {
            var face: FT_Face?
            let err = FT_New_Memory_Face(
                lib, blob.base.assumingMemoryBound(to: FT_Byte.self), FT_Long(blob.count), 0, &face)
            guard err == 0, face != nil else {
                for f in faces { FT_Done_Face(f) }
                FT_Done_FreeType(lib)
                library = nil
                faces = []
                throw .fontUnusable(path: blob.path, code: err)
            }
            faces.append(face)
        }
        currentSize = Array(repeating: 0, count: faces.count)
    }

    deinit {
        for face in faces { FT_Done_Face(face) }
        if let library { FT_Done_FreeType(library) }
    }

    /// Width and line extents of `text`.
    public func measure(_ text: String, style: FontStyle, pixelSize: Int) throws(ArtError) -> TextMetrics {
        let face = try sized(style, pixelSize)
        var pen = 0
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let glyph = try glyph(scalar, style: style, pixelSize: pixelSize, face: face)
            pen += kerning(face, previous, glyph.index) + glyph.advance
            previous = glyph.index
        }
        let metrics = face.pointee.size.pointee.metrics
        return TextMetrics(
            width: (pen + 32) >> 6, ascent: Int(metrics.ascender + 32) >> 6, descent: Int(-metrics.descender + 32) >> 6)
    }

    /// Draws `text` with its baseline at `baseline`; `x` is the left edge, centre or right
    /// edge depending on `alignment`. Returns the drawn advance box (top = baseline - ascent).
    @discardableResult
    public func draw(
        _ text: String, on image: inout PixelBuffer, x: Int, baseline: Int, style: FontStyle, pixelSize: Int,
        color: RGBColor, alignment: TextAlignment = .left, clip: Rect? = nil
    ) throws(ArtError) -> Rect {
        let m = try measure(text, style: style, pixelSize: pixelSize)
        let left: Int
        switch alignment {
        case .left: left = x
        case .center: left = x - m.width / 2
        case .right: left = x - m.width
        }
        let face = try sized(style, pixelSize)
        var pen = left << 6
        var previous: UInt32 = 0
        for scalar in text.unicodeScalars {
            let glyph = try glyph(scalar, style: style, pixelSize: pixelSize, face: face)
            pen += kerning(face, previous, glyph.index)
            previous = glyph.index
            if glyph.width > 0, glyph.rows > 0 {
                let gx = ((pen + 32) >> 6) + glyph.left
                let gy = baseline - glyph.top
                glyph.bitmap.withUnsafeBufferPointer { mask in
                    image.blendMask(
                        mask, maskWidth: glyph.width, maskHeight: glyph.rows, maskPitch: glyph.width,
                        x: gx, y: gy, color: color, clip: clip)
                }
            }
            pen += glyph.advance
        }
        return Rect(x: left, y: baseline - m.ascent, width: m.width, height: m.height)
    }

    /// The largest pixel size in `minSize...maxSize` at which `text` is at most `width` wide.
    public func fittingSize(
        _ text: String, style: FontStyle, width: Int, minSize: Int = 6, maxSize: Int
    ) throws(ArtError) -> Int {
        var lo = minSize, hi = max(minSize, maxSize)
        if try measure(text, style: style, pixelSize: hi).width <= width { return hi }
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if try measure(text, style: style, pixelSize: mid).width <= width { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Whether the face for `style` has a real glyph (not the missing-glyph box) for `scalar`.
    public func hasGlyph(_ scalar: Unicode.Scalar, style: FontStyle) -> Bool {
        guard let face = faces[style.rawValue] else { return false }
        return FT_Get_Char_Index(face, FT_ULong(scalar.value)) != 0
    }

    // MARK: FreeType

    private func sized(_ style: FontStyle, _ pixelSize: Int) throws(ArtError) -> FT_Face {
        let face = faces[style.rawValue]!
        let size = max(1, min(pixelSize, 1000))
        if currentSize[style.rawValue] != size {
            let err = FT_Set_Pixel_Sizes(face, 0, FT_UInt(size))
            guard err == 0 else { throw .glyphFailed(code: err) }
            currentSize[style.rawValue] = size
        }
        return face
    }

    private func kerning(_ face: FT_Face, _ left: UInt32, _ right: UInt32) -> Int {
        guard left != 0, right != 0, face.pointee.face_flags & FT_Long(FT_FACE_FLAG_KERNING) != 0 else { return 0 }
        var delta = FT_Vector()
        guard FT_Get_Kerning(face, left, right, FT_UInt(FT_KERNING_DEFAULT.rawValue), &delta) == 0 else { return 0 }
        return Int(delta.x)
    }

    private func glyph(_ scalar: Unicode.Scalar, style: FontStyle, pixelSize: Int, face: FT_Face) throws(ArtError) -> Glyph {
        let key = UInt64(style.rawValue) << 56 | UInt64(min(pixelSize, 0xFFFF)) << 32 | UInt64(scalar.value)
        if let hit = glyphs[key] { return hit }
        let index = FT_Get_Char_Index(face, FT_ULong(scalar.value))
        var err = FT_Load_Glyph(face, index, FT_Int32(FT_LOAD_DEFAULT))
        guard err == 0, let slot = face.pointee.glyph else { throw .glyphFailed(code: err) }
        err = FT_Render_Glyph(slot, FT_RENDER_MODE_NORMAL)
        guard err == 0 else { throw .glyphFailed(code: err) }
        let bm = slot.pointee.bitmap
        let w = Int(bm.width), rows = Int(bm.rows), pitch = Int(bm.pitch)
        var bitmap = [UInt8](repeating: 0, count: w * rows)
        if w > 0, rows > 0, let buffer = bm.buffer {
            for y in 0..<rows {
                // A negative pitch means rows are stored bottom-up from `buffer`.
                let row = buffer + y * pitch
                for x in 0..<w { bitmap[y * w + x] = row[x] }
            }
        }
        let glyph = Glyph(
            bitmap: bitmap, width: w, rows: rows, left: Int(slot.pointee.bitmap_left), top: Int(slot.pointee.bitmap_top),
            advance: Int(slot.pointee.advance.x), index: index)
        if glyphs.count >= Self.glyphCacheLimit { glyphs.removeAll(keepingCapacity: true) }
        glyphs[key] = glyph
        return glyph
    }
}
