import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `watermark-extract` (built only by `tools/fuzz`).
runFuzzer(.watermarkExtract)
