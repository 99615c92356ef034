import ArgumentParser
import Foundation
import ImageCore
import PNGCodec
import Watermark

/// `--key KEYFILE` and reading the image, shared by embed, extract and check.
struct WatermarkKeyOption: ParsableArguments {
    @Option(help: "The key file (32 random bytes, base64; coupon watermark keygen).")
    var key: String

    func load() throws(CommandFailure) -> WatermarkKey {
        let bytes = try RawKeyFile.read(key, kind: "watermark key")
        // 32 bytes always make a key; were that ever to change, the file is still what is wrong.
        guard let key = try? WatermarkKey(bytes: bytes) else {
            throw CommandFailure("\(self.key) is not a watermark key (base64 of 32 bytes)", exitCode: ExitStatus.usage)
        }
        return key
    }
}
