import CommandLineEntry
import Testing

/// The CLI never hands a terminal a control character it received.
@Suite struct TerminalTextTests {
    @Test func controlCharactersAreShownEscaped() {
        #expect(TerminalText.printable("plain café ☕") == "plain café ☕")
        #expect(TerminalText.printable("two\nlines\tand a tab") == "two\nlines\tand a tab")
        #expect(TerminalText.printable("red\u{1B}[31m!") == "red\\u{1B}[31m!")
        #expect(TerminalText.printable("bell\u{07}del\u{7F}c1\u{9B}") == "bell\\u{7}del\\u{7F}c1\\u{9B}")
        #expect(TerminalText.printable("evil\u{202E}txt.exe") == "evil\\u{202E}txt.exe")
    }
}
