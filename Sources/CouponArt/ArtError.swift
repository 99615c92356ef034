/// Why artwork could not be drawn. Messages name files but never contain secrets.
public enum ArtError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A font file is not where it was looked for (`COUPONMARK_FONT_DIR` or the DejaVu default).
    case fontNotFound(path: String)
    /// FreeType could not start or could not open a font file (FreeType error code).
    case fontUnusable(path: String, code: Int32)
    /// FreeType failed to size or render a glyph.
    case glyphFailed(code: Int32)
    /// libqrencode refused the text (too long, or out of memory).
    case qrEncodingFailed(String)
    /// The requested image size is too small or too large for the layout.
    case invalidSize(width: Int, height: Int)

    public var description: String {
        switch self {
        case .fontNotFound(let path):
            "font not found: \(path) (install fonts-dejavu-core or set COUPONMARK_FONT_DIR)"
        case .fontUnusable(let path, let code): "cannot load font \(path) (FreeType error \(code))"
        case .glyphFailed(let code): "cannot render glyph (FreeType error \(code))"
        case .qrEncodingFailed(let why): "cannot encode QR code: \(why)"
        case .invalidSize(let width, let height): "unsupported artwork size \(width)x\(height)"
        }
    }
}
