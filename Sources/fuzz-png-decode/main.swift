import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `png-decode` (built only by `tools/fuzz`).
runFuzzer(.pngDecode)
