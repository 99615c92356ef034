import FuzzTargets
import FuzzerMain

// The libFuzzer executable for `json-bodies` (built only by `tools/fuzz`).
runFuzzer(.jsonBodies)
