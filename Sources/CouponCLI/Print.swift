import CommandLineEntry

/// Every line this module prints to stdout goes through here: it shadows `Swift.print`
/// in `CouponCLI`, so text from a server, a file or a coupon's terms (an escape sequence
/// in a product name, say) is shown escaped, never run by the terminal
/// (``TerminalText/printable(_:)``). The colour preview, whose escape codes are ours, is
/// the one place that calls `Swift.print` directly.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.printable(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
