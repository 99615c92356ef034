import ArgumentParser
import CouponKit
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// The identifier as users type it: exactly 16 hexadecimal digits.
enum RobustIdentifier {
    static func parse(_ text: String) -> UInt64? {
        guard text.count == 16, text.allSatisfy(\.isHexDigit) else { return nil }
        return UInt64(text, radix: 16)
    }
}
