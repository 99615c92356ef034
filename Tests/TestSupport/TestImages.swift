import ImageCore

/// Images made from a seed, for tests of every target.
public enum TestImages {
    /// Every byte (alpha included) uniformly random, from `rng`.
    public static func noise(width: Int, height: Int, format: PixelFormat, using rng: inout SplitMix64) -> PixelBuffer {
        PixelBuffer(width: width, height: height, format: format, bytes: rng.bytes(width * height * format.channels))!
    }

    /// Every byte (alpha included) uniformly random, from a fresh generator seeded with `seed`.
    public static func noise(width: Int, height: Int, format: PixelFormat, seed: UInt64) -> PixelBuffer {
        var rng = SplitMix64(seed: seed)
        return noise(width: width, height: height, format: format, using: &rng)
    }
}
