import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `jpeg-decode` (built only by `tools/fuzz`).
runFuzzer(.jpegDecode)
