// libFuzzer target: any bytes as a config.json of both architectures and as a DiffusionGemma
// generation_config.json. Each must end in a value or a ModelFileError naming the file; a warning is fine.
import DiffusionEngine
import Foundation
import FuzzSupport

let quiet = WarningSink { _ in }

func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    let file = "config.json"
    func expectModelFileError(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as ModelFileError {
            precondition(error.file == file, "error names \(error.file), not \(file)")
        } catch {
            fatalError("threw an error that is not a ModelFileError: \(error)")
        }
    }
    expectModelFileError {
        let fields = try JSONFields(try JSONValue.parse(data, file: file), file: file)
        expectModelFileError { _ = try LLaDAMoEConfiguration(fields: fields, warnings: quiet).parameterCounts }
        expectModelFileError { _ = try DiffusionGemmaConfiguration(fields: fields, warnings: quiet).parameterCounts }
        expectModelFileError { _ = try DiffusionGemmaGenerationDefaults(fields: fields) }
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzConfig))
