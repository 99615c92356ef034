import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `terms-file` (built only by `tools/fuzz`).
runFuzzer(.termsFile)
