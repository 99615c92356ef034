import FuzzTargets

/// libFuzzer's entry for `watermark-extract` (built only by `tools/fuzz`; libFuzzer supplies `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    FuzzTarget.watermarkExtract.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
