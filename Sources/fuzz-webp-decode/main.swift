import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `webp-decode` (built only by `tools/fuzz`).
runFuzzer(.webpDecode)
