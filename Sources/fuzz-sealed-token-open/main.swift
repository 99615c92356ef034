import CFuzzerDriver
import FuzzTargets
import Glibc

// The libFuzzer executable for `sealed-token-open` (built only by `tools/fuzz`).

/// One input: `FuzzTarget.sealedTokenOpen`. Named for libFuzzer, whose runtime's own `main` refers to it.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzTarget.sealedTokenOpen.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}

// SwiftPM links this file's top-level code as `main`; it hands the command line to libFuzzer.
var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTestOneInput))
