import FuzzTargets

/// libFuzzer's entry for `json-bodies` (built only by `tools/fuzz`; libFuzzer supplies `main`).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafeRawPointer?, _ size: Int) -> CInt {
    FuzzTarget.jsonBodies.run(UnsafeRawBufferPointer(start: data, count: size))
    return 0
}
