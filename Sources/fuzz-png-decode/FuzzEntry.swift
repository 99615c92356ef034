import FuzzTargets

/// libFuzzer's entry for `png-decode` (built only by `tools/fuzz`; libFuzzer supplies `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    FuzzTarget.pngDecode.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
