import FuzzTargets

/// libFuzzer's entry for `sealed-token-open` (built only by `tools/fuzz`; libFuzzer supplies `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    FuzzTarget.sealedTokenOpen.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
