// libFuzzer target: any bytes as an experiment YAML (Sweeps' spec parser, through its public API only). Parsing
// must end in a spec or a thrown error; never a trap, a hang or unbounded memory. Run by .ci/fuzz.
import Foundation
import FuzzSupport
import Sweeps

// Beside the real specs (.ci/fuzz runs from the repository root), so that `models: [models/...]` resolve.
let specFile = URL(fileURLWithPath: "Experiments/fuzz.yaml")

func fuzzExperimentSpec(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard let text = String(data: data, encoding: .utf8) else { return 0 }  // the file reader refuses non-UTF-8 first
    _ = try? ExperimentSpec(yaml: text, file: specFile)
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzExperimentSpec))
