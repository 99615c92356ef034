import ImageCore

/// The vertical pass of ``Plane/init(luma:resampledTo:_:mode:)``, on a row of colour
/// bytes: `sum[i] = weight * row[i]` for a target's first tap, `sum[i] += weight *
/// row[i]` for the others.
/// Its bytes become floats lane by lane, like every vector conversion in this module (see
/// the module's Kernels section).
enum RowSum {
    static func add(
        _ row: UnsafePointer<UInt8>, weight: Float, into sum: UnsafeMutableBufferPointer<Float>, first: Bool,
        mode: KernelMode
    ) {
        let count = sum.count
        var i = 0
        if mode == .simd {
            let w = SIMD8<Float>(repeating: weight)
            let from = UnsafeRawPointer(row), to = UnsafeMutableRawPointer(sum.baseAddress!)
            while i &+ 8 <= count {
                let bytes = from.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self)
                var value = SIMD8<Float>()
                for lane in 0..<8 { value[lane] = Float(bytes[lane]) }  // one vector conversion
                let product = w * value
                let total = first ? product : to.loadUnaligned(fromByteOffset: i &* 4, as: SIMD8<Float>.self) + product
                to.storeBytes(of: total, toByteOffset: i &* 4, as: SIMD8<Float>.self)
                i &+= 8
            }
        }
        while i < count {
            sum[i] = first ? weight * Float(row[i]) : sum[i] + weight * Float(row[i])
            i &+= 1
        }
    }
}
