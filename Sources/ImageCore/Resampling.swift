/// Separable resampling weights for one axis: for each target sample, the source samples
/// it takes and their weights (summing to 1). An area average when the axis shrinks (each
/// source sample weighted by how much of it falls inside the target sample), linear
/// interpolation between sample centres when it grows. Shared by image resizing and the
/// robust watermark's detector.
public struct Resampling: Sendable {
    /// `taps[target]`: (source index, weight) pairs.
    public let taps: [[(source: Int, weight: Float)]]

    public init(from count: Int, to newCount: Int) {
        precondition(count > 0 && newCount > 0, "empty axis")
        let ratio = Double(count) / Double(newCount)
        taps = (0..<newCount).map { target in
            if ratio >= 1 {
                let start = Double(target) * ratio, end = start + ratio
                var taps: [(source: Int, weight: Float)] = []
                var source = Int(start.rounded(.down))
                while Double(source) < end && source < count {
                    let covered = min(end, Double(source + 1)) - max(start, Double(source))
                    if covered > 0 { taps.append((source, Float(covered / ratio))) }
                    source += 1
                }
                return taps
            }
            let centre = (Double(target) + 0.5) * ratio - 0.5
            let left = Int(centre.rounded(.down))
            let t = Float(centre - Double(left))
            return [(min(max(left, 0), count - 1), 1 - t), (min(max(left + 1, 0), count - 1), t)]
        }
    }

    /// Resamples `height` rows of `width` interleaved `channels`-sample pixels (row-major
    /// `Float`s) to `newWidth` x `newHeight`: along the rows first, then down the columns a
    /// whole row at a time.
    public static func resample(
        _ samples: [Float], width: Int, height: Int, channels: Int, toWidth newWidth: Int, height newHeight: Int
    ) -> [Float] {
        let horizontal = Resampling(from: width, to: newWidth), vertical = Resampling(from: height, to: newHeight)
        let rowLength = newWidth * channels
        var rows = [Float](repeating: 0, count: rowLength * height)
        var out = [Float](repeating: 0, count: rowLength * newHeight)
        samples.withUnsafeBufferPointer { source in
            rows.withUnsafeMutableBufferPointer { rows in
                for y in 0..<height {
                    let from = y &* width &* channels, to = y &* rowLength
                    for (x, taps) in horizontal.taps.enumerated() {
                        for tap in taps {
                            let s = from &+ tap.source &* channels, t = to &+ x &* channels
                            for c in 0..<channels { rows[t &+ c] += source[s &+ c] * tap.weight }
                        }
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { rows in
            out.withUnsafeMutableBufferPointer { out in
                for (y, taps) in vertical.taps.enumerated() {
                    let to = y &* rowLength
                    for tap in taps {
                        let from = tap.source &* rowLength
                        for i in 0..<rowLength { out[to &+ i] += rows[from &+ i] * tap.weight }
                    }
                }
            }
        }
        return out
    }
}

extension PixelBuffer {
    /// This image at `newWidth` x `newHeight` (every channel, alpha included), resampled by
    /// ``Resampling``: what a browser or an image viewer does to a picture, for tests and
    /// trials of what survives resizing.
    public func resized(width newWidth: Int, height newHeight: Int) -> PixelBuffer {
        let scaled = Resampling.resample(
            bytes.map(Float.init), width: width, height: height, channels: format.channels, toWidth: newWidth,
            height: newHeight)
        var out = PixelBuffer(width: newWidth, height: newHeight, format: format)
        for i in out.bytes.indices { out.bytes[i] = UInt8(min(max(scaled[i], 0) + 0.5, 255)) }
        return out
    }

    /// The pixels inside `rect` (which must lie within the image).
    public func cropped(to rect: PixelRect) -> PixelBuffer {
        precondition(rect.x >= 0 && rect.y >= 0 && rect.maxX <= width && rect.maxY <= height && !rect.isEmpty)
        var out = PixelBuffer(width: rect.width, height: rect.height, format: format)
        let channels = format.channels
        for y in 0..<rect.height {
            let from = ((y + rect.y) * width + rect.x) * channels
            out.bytes.replaceSubrange(
                y * rect.width * channels..<(y + 1) * rect.width * channels,
                with: bytes[from..<from + rect.width * channels])
        }
        return out
    }
}
