import ArgumentParser
import CommandLineEntry
import CouponServer
import CouponStore
import Foundation

/// `coupon-server bench-verify FILE.png [--data DIR] [--runs N]`: how long the server's
/// own coupon verification takes for one order, in process (tools/load compares the
/// measured orders/s with the bound this sets).
struct BenchVerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-verify",
        abstract: "Time the server's coupon verification of one PNG, in process (median of N runs).")

    @Argument(help: "A coupon PNG.") var file: String
    @OptionGroup var store: StoreOptions
    @Option(help: "Runs; the median is reported.") var runs = 50
    @Flag(help: "Print {\"verify_ms\",\"runs\"}.") var json = false

    func validate() throws {
        guard runs >= 1 else { throw ValidationError("--runs must be at least 1") }
    }

    func run() async throws {
        let png: [UInt8]
        do {
            png = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        } catch {
            throw CommandFailure("cannot read \(file)", exitCode: .usageFailure)
        }
        let ring = try await store.withStore { opened in try await opened.repository.keyRing() }
        let verifier = WatermarkCouponVerifier()
        let clock = ContinuousClock()
        var samples: [Double] = []
        for _ in 0..<runs {
            let elapsed = try clock.measure { _ = try verifier.read(png, keys: ring, robustKeys: nil) }
            let (seconds, attoseconds) = elapsed.components
            samples.append(Double(seconds) * 1000 + Double(attoseconds) / 1e15)
        }
        samples.sort()
        let median = samples[samples.count / 2]
        if json {
            print("{\"runs\":\(runs),\"verify_ms\":\(String(format: "%.3f", median))}")
        } else {
            print("coupon verification: median \(String(format: "%.3f", median)) ms over \(runs) runs")
        }
    }
}
