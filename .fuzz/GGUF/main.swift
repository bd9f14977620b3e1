// libFuzzer target: any bytes as a `.gguf` file. Parsing must end in a value or a ModelFileError; every byte of every
// tensor it accepts must lie inside the file (AddressSanitizer checks the reads); the fast dequantization must give
// the plain twin's bits on every accepted tensor; and loading the file as a model (metadata → configuration →
// weights → tokenizer) must end in a model or a clear error. Run by .ci/fuzz.
import DiffusionEngine
import Foundation
import FuzzSupport

/// The file the input is written to: the reader maps a path (tmpfs where there is one); `.gguf` so that
/// `ModelFolder` takes it for a GGUF file.
let scratchFile: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/dlab-fuzz-gguf-\(getpid()).gguf"
}()

/// Tensors larger than this are read but not expanded (the input is at most 64 KiB; this bounds the work per input).
let expandLimit = 1 << 16

func fuzzGGUF(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard FileManager.default.createFile(atPath: scratchFile, contents: data) else { return 0 }
    do {
        let file = try GGUFFile(path: scratchFile)
        var checksum: UInt8 = 0
        for tensor in file.tensors.values {
            for byte in UnsafeRawBufferPointer(start: tensor.bytes, count: tensor.byteCount) { checksum ^= byte }
            let elements = tensor.elementCount
            guard elements > 0, elements <= expandLimit else { continue }
            var plain = [Float](repeating: 0, count: elements)
            var fast = [Float](repeating: 0, count: elements)
            plain.withUnsafeMutableBufferPointer { Dequantize.run(tensor.type, tensor.bytes, count: elements, into: $0.baseAddress!) }
            fast.withUnsafeMutableBufferPointer { DequantizeFast.run(tensor.type, tensor.bytes, count: elements, into: $0.baseAddress!) }
            for i in 0 ..< elements where plain[i].bitPattern != fast[i].bitPattern && !(plain[i].isNaN && fast[i].isNaN) {
                fatalError("tensor '\(tensor.name)' (\(tensor.type)): element \(i) is \(fast[i]) fast, \(plain[i]) plain")
            }
        }
        if checksum == 0xFF { setenv("DLAB_FUZZ_SINK", "1", 1) }  // keeps the reads from being optimised away
    } catch is ModelFileError {
        return 0  // the expected outcome for bad input
    } catch {
        fatalError("GGUFFile threw an error that is not a ModelFileError: \(error)")
    }
    // A file that parses: load it as a model; any error is fine, a trap or a sanitizer report is not.
    _ = try? ModelFolder(URL(fileURLWithPath: scratchFile), requireTokenizer: false, warnings: WarningSink { _ in })
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzGGUF))
