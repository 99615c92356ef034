import CouponArt
import ImageCore

/// The terminal preview of `--ascii`: 24-bit colour half-blocks when stdout is a
/// terminal, a plain character ramp otherwise, sized to the terminal width.
enum Preview {
    static func render(_ image: PixelBuffer) -> String {
        let columns = min(TerminalPreview.terminalColumns(), 160)
        return TerminalPreview.render(image: image, columns: max(20, columns), colour: Terminal.stdoutIsTerminal)
    }
}
