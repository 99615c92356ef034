public import ImageCore

/// Benchmark hooks (`coupon bench`, SPI `Benchmarks`): each hot kernel run once over a
/// whole image, with the buffers it needs allocated up front so that a timed call
/// allocates nothing. Each run returns a value derived from its output, for the caller
/// to keep so that the work cannot be optimised away.
@_spi(Benchmarks) public struct KernelProbe {
    public let image: PixelBuffer
    public let key: WatermarkKey
    private let geometry: Geometry
    private let offsets: [Int]
    private let values: [UInt64]
    private var scratch: PixelBuffer
    private var nh: [UInt64]
    private var readBack: [UInt64]

    public init(image: PixelBuffer, key: WatermarkKey) {
        self.image = image
        self.key = key
        let g = Geometry(image)
        geometry = g
        offsets = (0..<g.segmentCount).map { g.segmentOffset($0) }
        values = (0..<g.segmentCount).map { UInt64(truncatingIfNeeded: $0 &* 0x9E37_79B9) & 0xFFFF_FFFF_FFFF }
        scratch = image
        nh = [UInt64](repeating: 0, count: g.blockCount)
        readBack = [UInt64](repeating: 0, count: g.segmentCount)
    }

    /// Bytes the segment kernels touch: every whole segment of the image.
    public var segmentBytes: Int { geometry.segmentCount * Layout.segmentPixels * geometry.channels }

    /// Largest payload of this image (`Watermark.capacity`).
    public var payloadCapacity: Int { geometry.payloadCapacity }

    /// The NH pass of the tamper grid over every byte of the image.
    public mutating func digest(mode: KernelMode) -> UInt64 {
        let g = geometry
        image.bytes.withUnsafeBufferPointer { p in
            key.nhKey.withUnsafeBufferPointer { k in
                nh.withUnsafeMutableBufferPointer { out in
                    out.update(repeating: 0)
                    DigestKernel.blockNH(p.baseAddress!, geometry: g, key: k.baseAddress!, out: out, mode: mode)
                }
            }
        }
        return nh[0]
    }

    /// The segment write kernel over every segment.
    public mutating func embed(mode: KernelMode) -> UInt64 {
        let channels = geometry.channels
        withSegmentBuffers { pixels, offsets, values, _ in
            SegmentKernels.write(pixels, offsets: offsets, values: values, channels: channels, mode: mode)
        }
        return UInt64(scratch.bytes[scratch.bytes.count / 2])
    }

    /// The segment read kernel over every segment.
    public mutating func extract(mode: KernelMode) -> UInt64 {
        let channels = geometry.channels
        withSegmentBuffers { pixels, offsets, _, readBack in
            SegmentKernels.read(pixels, offsets: offsets, values: readBack, channels: channels, mode: mode)
        }
        return readBack[0]
    }

    /// The buffers both segment kernels run over, in one place: the scratch image's bytes, the
    /// segment offsets, the values `embed` writes and the array `extract` reads back into.
    /// Taking the scratch image mutably for `extract` too copies it at most once (the first
    /// call, while it still shares storage with `image`), which the benchmark's warm-up absorbs.
    private mutating func withSegmentBuffers(
        _ body: (
            UnsafeMutablePointer<UInt8>, UnsafeBufferPointer<Int>, UnsafeBufferPointer<UInt64>,
            UnsafeMutableBufferPointer<UInt64>
        ) -> Void
    ) {
        scratch.bytes.withUnsafeMutableBufferPointer { p in
            offsets.withUnsafeBufferPointer { o in
                values.withUnsafeBufferPointer { v in
                    readBack.withUnsafeMutableBufferPointer { r in body(p.baseAddress!, o, v, r) }
                }
            }
        }
    }
}
