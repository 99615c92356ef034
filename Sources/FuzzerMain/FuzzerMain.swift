import CFuzzerDriver
import FuzzTargets

#if canImport(Glibc)
import Glibc
#endif

// The one main of every `fuzz-*` executable (built only by `tools/fuzz`, with
// COUPONMARK_FUZZ=1). SwiftPM links an executable's main under its own name, so
// libFuzzer's `main` cannot be used: each executable's `main.swift` calls ``runFuzzer(_:)``,
// which hands the command line to libFuzzer's `LLVMFuzzerRunDriver` with the entry below.

/// The target this process fuzzes; set once, before libFuzzer starts calling in.
nonisolated(unsafe) private var fuzzedTarget = FuzzTarget.pngDecode

/// One input. Named for libFuzzer, whose runtime refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    fuzzedTarget.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

/// Runs libFuzzer on `target` with this process's command line, and exits with its status.
public func runFuzzer(_ target: FuzzTarget) -> Never {
    fuzzedTarget = target
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
}
