extension RobustMark {
    /// The most a picture's longer side may measure against its shorter side for the
    /// robust layer to be searched: 4 to 1.
    ///
    /// The detector scales the shorter side to `RobustLayout.detectionShortSide` (200)
    /// pixels, so its frame grows with the aspect ratio: a 16x250000 picture (10 KB as a
    /// grey PNG) would be a 200x3,125,000 frame, 2.5 GB of floats, and seconds of search.
    /// Nothing a coupon becomes is that thin. A coupon is 2:1 (800x400); the crops the
    /// search covers (10 % off each end of the shorter side, a quarter off the longer one)
    /// stay under 2.6:1; a phone screenshot (1170x2532) is 2.16:1. 4:1 keeps room for a
    /// coupon strip or a tall screenshot, and caps the frame at 200x800 pixels
    /// (``maxFramePixels``).
    public static let maxAspectRatio = 4

    /// The largest detection frame: the shorter side's 200 pixels times
    /// ``maxAspectRatio`` (640 KB of floats).
    public static let maxFramePixels = RobustLayout.detectionShortSide * RobustLayout.detectionShortSide * maxAspectRatio

    /// The shortest side a mark can be read from.
    public static let minShortSide = 16

    /// Whether a picture of this size can be searched for the mark at all: its shorter side
    /// at least ``minShortSide`` pixels and its longer side at most ``maxAspectRatio``
    /// times that. Callers check it from the file's header, before decoding;
    /// ``detect(_:key:)`` checks it again before allocating anything.
    public static func canCarry(width: Int, height: Int) -> Bool {
        let (short, long) = (min(width, height), max(width, height))
        return short >= minShortSide && long <= short * maxAspectRatio
    }
}
