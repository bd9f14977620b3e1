// libFuzzer target: any bytes as a `.safetensors` file. Parsing must end in a value or a ModelFileError, and every
// byte of every tensor it accepts must lie inside the file (AddressSanitizer checks the reads). Run by .ci/fuzz.
import DiffusionEngine
import Foundation
import FuzzSupport

/// The file the input is written to: SafetensorsFile maps a path (tmpfs where there is one).
let scratchFile: String = {
    let folder = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
    return "\(folder)/dlab-fuzz-safetensors-\(getpid()).safetensors"
}()

func fuzzSafetensors(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    guard FileManager.default.createFile(atPath: scratchFile, contents: data) else { return 0 }
    do {
        let file = try SafetensorsFile(path: scratchFile)
        var checksum: UInt8 = 0
        for entry in file.entries.values {
            let bytes = UnsafeRawBufferPointer(start: entry.bytes, count: entry.elementCount * entry.dtype.byteCount)
            for byte in bytes { checksum ^= byte }
        }
        if checksum == 0xFF { setenv("DLAB_FUZZ_SINK", "1", 1) }  // keeps the reads from being optimised away
    } catch is ModelFileError {
        // the expected outcome for bad input
    } catch {
        fatalError("SafetensorsFile threw an error that is not a ModelFileError: \(error)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzSafetensors))
