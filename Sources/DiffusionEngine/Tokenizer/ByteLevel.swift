/// GPT-2's byte-to-character table, used by byte-level BPE tokenizers (GPT-2, Qwen, LLaDA's): every byte maps to
/// a printable character, so any UTF-8 text becomes a string over 256 symbols and back without loss.
/// Port of `bytes_to_unicode` (openai/gpt-2 `encoder.py`; Hugging Face tokenizers `byte_level.rs`).
enum ByteLevel {
    static let byteToCharacter: [Character] = {
        var printable = Array(UInt8(ascii: "!") ... UInt8(ascii: "~")) + Array(0xA1 ... 0xAC) + Array(0xAE ... 0xFF)
        var codes = printable.map { UInt32($0) }
        var next: UInt32 = 256
        for byte in 0 ... 255 where !printable.contains(UInt8(byte)) {
            printable.append(UInt8(byte))
            codes.append(next)
            next += 1
        }
        var table = [Character](repeating: " ", count: 256)
        for (byte, code) in zip(printable, codes) { table[Int(byte)] = Character(Unicode.Scalar(code)!) }
        return table
    }()

    static let characterToByte: [Character: UInt8] = {
        var map: [Character: UInt8] = [:]
        for (byte, character) in byteToCharacter.enumerated() { map[character] = UInt8(byte) }
        return map
    }()

    /// `text`'s UTF-8 bytes, each as its table character.
    static func encode(_ text: String) -> String {
        String(text.utf8.map { byteToCharacter[Int($0)] })
    }

    /// The inverse of `encode`; characters outside the table are kept as their own UTF-8.
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        for character in text {
            if let byte = characterToByte[character] { bytes.append(byte) } else { bytes.append(contentsOf: Array(String(character).utf8)) }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// GPT-2's pre-tokenization pattern (contractions, letters, numbers, other symbols, whitespace runs).
    static let pattern = #"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"#
}
