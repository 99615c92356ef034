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

    /// FFTW's planner is not thread-safe (executing a plan is, on arrays of its own): plans
    /// are made under this lock, once per padded size, and kept for the process's life
    /// (planning cost more than the transforms: about 5 ms against 2 for a 400 x 200 frame).
    /// A frame's shorter side is always 200 and its longer one at most 800, so its padded
    /// sizes are a few dozen; past ``maxPlans`` a size is planned for its one use.
    private static let planner = NSLock()
    nonisolated(unsafe) private static var plans: [Int: (forward: fftwf_plan, inverse: fftwf_plan)] = [:]
    static let maxPlans = 128

    /// The forward and inverse plans of a `width` x `height` transform, made on arrays
    /// aligned as every array given to them is (64 bytes), and whether they are kept (else
    /// the caller destroys them with ``discard(_:)``).
    private static func plan(width: Int, height: Int) -> (forward: fftwf_plan, inverse: fftwf_plan, kept: Bool) {
        planner.lock()
        defer { planner.unlock() }
        let key = height << 32 | width
        if let plans = plans[key] { return (plans.forward, plans.inverse, true) }
        let count = width * height, spectrum = height * (width / 2 + 1)
        let real = UnsafeMutableRawPointer.allocate(byteCount: 4 * count, alignment: 64)
        let complex = UnsafeMutableRawPointer.allocate(byteCount: 8 * spectrum, alignment: 64)
        defer {
            real.deallocate()
            complex.deallocate()
        }
        let r = real.bindMemory(to: Float.self, capacity: count)
        let c = complex.bindMemory(to: fftwf_complex.self, capacity: spectrum)
        let made = (
            forward: couponmark_fftwf_plan_r2c_2d(Int32(height), Int32(width), r, c)!,
            inverse: couponmark_fftwf_plan_c2r_2d(Int32(height), Int32(width), c, r)!
        )
        guard plans.count < maxPlans else { return (made.forward, made.inverse, false) }
        plans[key] = made
        return (made.forward, made.inverse, true)
    }

    /// Scratch buffers by size, at most ``keptScratch`` of each, shared by the threads that
    /// detect (a server's verifier pool).
    nonisolated(unsafe) private static var spare: [Int: [UnsafeMutableRawPointer]] = [:]
    static let keptScratch = 4

    private static func scratch(bytes: Int) -> UnsafeMutableRawPointer {
        planner.lock()
        let reused = spare[bytes]?.popLast()
        planner.unlock()
        return reused ?? UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    }

    private static func recycle(_ buffer: UnsafeMutableRawPointer, bytes: Int) {
        planner.lock()
        defer { planner.unlock() }
        // Only the sizes that have plans kept are kept: a bounded set.
        if spare[bytes, default: []].count < keptScratch, spare.count < 2 * maxPlans {
            spare[bytes, default: []].append(buffer)
        } else {
            buffer.deallocate()
        }
    }

    private static func discard(_ forward: fftwf_plan, _ inverse: fftwf_plan) {
        planner.lock()
        defer { planner.unlock() }
        fftwf_destroy_plan(forward)
        fftwf_destroy_plan(inverse)
    }

    init(_ plane: Plane) {
        let width = Self.friendlySize(2 * plane.width), height = Self.friendlySize(2 * plane.height)
        let count = width * height, spectrum = height * (width / 2 + 1)
        // Aligned for FFTW's vector code (its own allocator is documented as one of the
        // routines not to call from two threads at once), and reused: fresh megabytes cost a
        // page fault per 4 KB, about a millisecond per frame.
        let realBytes = Self.scratch(bytes: 4 * count), complexBytes = Self.scratch(bytes: 8 * spectrum)
        defer {
            Self.recycle(realBytes, bytes: 4 * count)
            Self.recycle(complexBytes, bytes: 8 * spectrum)
        }
        let real = realBytes.bindMemory(to: Float.self, capacity: count)
        let complex = complexBytes.bindMemory(to: fftwf_complex.self, capacity: spectrum)
        let (forward, inverse, kept) = Self.plan(width: width, height: height)
        defer { if !kept { Self.discard(forward, inverse) } }
        let mean = plane.samples.reduce(0, +) / Float(max(plane.samples.count, 1))
        real.initialize(repeating: 0, count: count)
        plane.samples.withUnsafeBufferPointer { s in
            for y in 0..<plane.height {
                for x in 0..<plane.width { real[y * width + x] = s[y * plane.width + x] - mean }
            }
        }
        fftwf_execute_dft_r2c(forward, real, complex)
        // The power spectrum, in place: |F|^2 in the real part, 0 in the imaginary one, plus
        // a floor of a millionth of the mean power. A flat power spectrum is a peak at lag 0
        // alone, so the floor changes no other lag; it keeps the inverse transform away from
        // subnormal numbers, which a periodic or flat picture's spectrum (exact zeros,
        // squared small values) is full of and which cost a processor many times a normal
        // number's time.
        complexBytes.withMemoryRebound(to: Float.self, capacity: 2 * spectrum) { f in
            var total: Float = 0
            var i = 0
            while i < 2 * spectrum {
                let power = f[i] * f[i] + f[i + 1] * f[i + 1]
                f[i] = power
                f[i + 1] = 0
                total += power
                i += 2
            }
            let floor = max(total / Float(spectrum) * 1e-6, Float.leastNormalMagnitude * 1e6)
            i = 0
            while i < 2 * spectrum {
                f[i] += floor
                i += 2
            }
        }
        fftwf_execute_dft_c2r(inverse, complex, real)
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
