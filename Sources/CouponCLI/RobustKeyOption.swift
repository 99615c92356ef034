import ArgumentParser
import CouponKit
import Foundation
import ImageCore
import ImageFormats
import PNGCodec
import RobustMark

/// `--key KEYFILE` for the robust layer's commands.
struct RobustKeyOption: ParsableArguments {
    @Option(help: "The robust key file (32 random bytes, base64; coupon watermark robust-keygen).")
    var key: String

    func load() throws(CommandFailure) -> RobustKey { try Self.load(key) }

    static func load(_ path: String) throws(CommandFailure) -> RobustKey {
        RobustKey(bytes: try RawKeyFile.read(path, kind: "robust key"))!  // 32 bytes always make a key
    }
}
