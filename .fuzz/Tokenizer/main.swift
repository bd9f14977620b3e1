// libFuzzer target: any bytes as a tokenizer.json. Loading must end in a tokenizer or a ModelFileError; a
// tokenizer that loads must encode and decode a fixed text without trapping. Run by .ci/fuzz.
import DiffusionEngine
import Foundation
import FuzzSupport

let texts = ["A1234+5678=", "hello world, ünïcode ✓ 123", "<mask><mask> <|endoftext|>", ""]

func fuzzTokenizer(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let data = start.map { Data(bytes: $0, count: count) } ?? Data()
    do {
        let tokenizer = try HFTokenizer(json: try JSONValue.parse(data, file: "tokenizer.json"), file: "tokenizer.json")
        for text in texts {
            do {
                let ids = try tokenizer.encode(text)
                _ = tokenizer.decode(ids)
                _ = tokenizer.decode(ids, skipSpecial: true)
            } catch {
                // a text the vocabulary cannot spell is an error, not a trap
            }
        }
        _ = tokenizer.decode([0, 1, 2, -1, Int.max, Int.min])
    } catch is ModelFileError {
    } catch {
        fatalError("HFTokenizer threw an error that is not a ModelFileError: \(error)")
    }
    return 0
}

var argc = CommandLine.argc
var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzTokenizer))
