import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `sealed-token-open` (built only by `tools/fuzz`).
runFuzzer(.sealedTokenOpen)
