public import ImageCore

/// The robust layer: a keyed mark that carries a 64-bit identifier through what pictures
/// go through on their way (JPEG and WebP down to quality 50, resizing from 0.5x to 3x,
/// crops of up to 10% per side, screenshots), beside the fragile LSB layer that proves
/// the artwork untouched. See `RobustLayout` for the geometry, `RobustEmbedder` for
/// how it is drawn and `RobustDetector` for how it is found.
public enum RobustMark {
    /// Levels of luma at full field on flat paper (about 41 dB PSNR on coupon artwork).
    public static let defaultAmplitude: Float = 1.8

    /// `image` with `id` marked under `key`.
    public static func embed(
        _ image: PixelBuffer, id: UInt64, key: RobustKey, amplitude: Float = defaultAmplitude
    ) -> PixelBuffer {
        let info = bitsOf(id) + key.tag(of: id)
        let signs = key.plan.cellSigns(coded: ConvolutionalCode.encode(info))
        return RobustEmbedder.embed(image, signs: signs, amplitude: amplitude)
    }

    /// The identifier marked in `image` under `key`, or nil when there is none.
    public static func detect(_ image: PixelBuffer, key: RobustKey) -> RobustDetection? {
        RobustDetector.detect(image, key: key, plan: key.plan)
    }

    static func bitsOf(_ id: UInt64) -> [UInt8] {
        withUnsafeBytes(of: id.bigEndian) { Array($0) }.bits(count: RobustLayout.idBits)
    }
}

/// What the detector found.
public struct RobustDetection: Sendable, Equatable {
    /// The marked identifier (its tag verified).
    public let id: UInt64
    /// How far the pilots stood above chance, in standard deviations.
    public let score: Double
    /// The apparent enlargement of the frame (1 unless the shorter side was cropped).
    public let scale: Double
}
