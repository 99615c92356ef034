public import ImageCore

/// The robust layer: a keyed mark that carries a 64-bit identifier through what pictures
/// go through on their way (JPEG and WebP down to quality 50, resizing from 0.5x to 3x,
/// squeezes, turns, mirroring, crops of up to 25% per side, screenshots with the app
/// around the coupon), beside the fragile LSB layer that proves
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
        detect(image, keys: [key])?.detection
    }

    /// The first of `keys` (in order of the search's stages, then of `keys`) whose mark
    /// `image` carries, with what was found; nil when it carries none of them. The search's
    /// work up to the pilots' correlation is shared by the keys, so each key after the first
    /// costs a small part of a search.
    public static func detect(_ image: PixelBuffer, keys: [RobustKey]) -> (index: Int, detection: RobustDetection)? {
        var decodes: [Int] = []
        return RobustDetector.detect(image, keys: keys, decodes: &decodes)
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
    /// The tile's side in the detection frame over an untouched frame's (1 for a picture
    /// that kept its whole frame; below 1 for a coupon pasted into a larger canvas, above 1
    /// for one cropped across its shorter side).
    public let scale: Double
    /// How far the grid was turned, in degrees (positive: clockwise on screen).
    public let rotation: Double
    /// Whether the picture was read mirrored (left to right).
    public let mirrored: Bool
}
