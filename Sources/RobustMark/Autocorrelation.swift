import CFFTW
import Foundation

/// The circular autocorrelation of a plane zero-padded to at least twice its size on
/// both axes (so that every lag up to the plane's own size is a true, not a wrapped,
/// correlation), through FFTW: the real FFT, the power spectrum, the inverse real FFT.
/// Normalised by the lag-0 value, so a lag's value is the fraction of the plane's energy
/// that repeats at that shift.
///
/// The mark's tile repeats across the picture, so the whitened picture's autocorrelation
/// has a peak at every lattice vector of the tile grid as the picture shows it, whatever
/// it went through: scaled, squeezed, rotated, cropped or pasted into a larger canvas
/// (``TileLattice`` reads the grid from these peaks).
struct Autocorrelation {
    /// The padded size: lag `(dx, dy)` is at `values[(dy mod height) * width + (dx mod width)]`.
    let width: Int
    let height: Int
    let values: [Float]

    /// FFTW's planner is not thread-safe (executing a plan is): plans are made and destroyed
    /// under this lock.
    private static let planner = NSLock()

    init(_ plane: Plane) {
        let width = Self.friendlySize(2 * plane.width), height = Self.friendlySize(2 * plane.height)
        let count = width * height, spectrum = height * (width / 2 + 1)
        // Aligned for FFTW's vector code (its own allocator is documented as one of the
        // routines not to call from two threads at once).
        let realBytes = UnsafeMutableRawPointer.allocate(byteCount: 4 * count, alignment: 64)
        let complexBytes = UnsafeMutableRawPointer.allocate(byteCount: 8 * spectrum, alignment: 64)
        defer {
            realBytes.deallocate()
            complexBytes.deallocate()
        }
        let real = realBytes.bindMemory(to: Float.self, capacity: count)
        let complex = complexBytes.bindMemory(to: fftwf_complex.self, capacity: spectrum)
        Self.planner.lock()
        let forward = couponmark_fftwf_plan_r2c_2d(Int32(height), Int32(width), real, complex)!
        let inverse = couponmark_fftwf_plan_c2r_2d(Int32(height), Int32(width), complex, real)!
        Self.planner.unlock()
        defer {
            Self.planner.lock()
            fftwf_destroy_plan(forward)
            fftwf_destroy_plan(inverse)
            Self.planner.unlock()
        }
        let mean = plane.samples.reduce(0, +) / Float(max(plane.samples.count, 1))
        real.initialize(repeating: 0, count: count)
        plane.samples.withUnsafeBufferPointer { s in
            for y in 0..<plane.height {
                for x in 0..<plane.width { real[y * width + x] = s[y * plane.width + x] - mean }
            }
        }
        fftwf_execute(forward)
        // The power spectrum, in place: |F|^2 in the real part, 0 in the imaginary one.
        complexBytes.withMemoryRebound(to: Float.self, capacity: 2 * spectrum) { f in
            var i = 0
            while i < 2 * spectrum {
                f[i] = f[i] * f[i] + f[i + 1] * f[i + 1]
                f[i + 1] = 0
                i += 2
            }
        }
        fftwf_execute(inverse)
        let zero = real[0]
        let scale: Float = zero > 0 ? 1 / zero : 0
        values = [Float](writing: count) { out in
            for i in 0..<count { out[i] = real[i] * scale }
        }
        (self.width, self.height) = (width, height)
    }

    /// The value at lag `(dx, dy)`, whole pixels.
    subscript(dx: Int, dy: Int) -> Float {
        let x = ((dx % width) + width) % width, y = ((dy % height) + height) % height
        return values[y * width + x]
    }

    /// The value at a fractional lag, interpolated bilinearly.
    func value(at lag: SIMD2<Double>) -> Double {
        let x0 = Int(lag.x.rounded(.down)), y0 = Int(lag.y.rounded(.down))
        let fx = Float(lag.x - Double(x0)), fy = Float(lag.y - Double(y0))
        let top = self[x0, y0] * (1 - fx) + self[x0 + 1, y0] * fx
        let bottom = self[x0, y0 + 1] * (1 - fx) + self[x0 + 1, y0 + 1] * fx
        return Double(top * (1 - fy) + bottom * fy)
    }

    /// The smallest size at least `n` whose only prime factors are 2, 3 and 5 (FFTW's
    /// fastest transforms).
    static func friendlySize(_ n: Int) -> Int {
        var size = max(n, 1)
        while true {
            var m = size
            for p in [2, 3, 5] { while m % p == 0 { m /= p } }
            if m == 1 { return size }
            size += 1
        }
    }
}
