import ImageCore

extension Plane {
    /// This plane resampled to `newWidth` x `newHeight` by ``Resampling`` (an area average
    /// when it shrinks, linear interpolation when it grows).
    func resampled(width newWidth: Int, height newHeight: Int) -> Plane {
        Plane(
            width: newWidth, height: newHeight,
            samples: Resampling.resample(
                samples, width: width, height: height, channels: 1, toWidth: newWidth, height: newHeight))
    }
}
