import ArgumentParser
import Foundation
import ImageCore
import PNGCodec
import Watermark

/// `coupon watermark …`: the raw watermark layer, below coupons (any payload, one key).
struct WatermarkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watermark",
        abstract: "The raw watermark layer: hide any bytes in a PNG under a 32-byte key.",
        discussion: """
            Exit codes: 3 no watermark found, 4 a watermark made with another key, \
            6 payload intact but some blocks of the picture were edited. The robust-* commands \
            carry a 64-bit identifier through JPEG, WebP, resizing and cropping (the fragile \
            layer above proves the artwork untouched; this one survives its travels).
            """,
        subcommands: [
            RawKeygenCommand<FragileKeygen>.self, WatermarkEmbedCommand.self, WatermarkExtractCommand.self,
            WatermarkCheckCommand.self, RawKeygenCommand<RobustKeygen>.self, RobustEmbedCommand.self, RobustDetectCommand.self,
            RobustTrialCommand.self,
        ]
    )
}
