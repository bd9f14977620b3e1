import Foundation

/// Writes a GGUF file from a Hugging Face LLaDA-MoE or DiffusionGemma folder, as llama.cpp's converter and
/// llama-quantize would name it: `llada-moe` or `diffusion-gemma` metadata, llama.cpp tensor names with stacked experts, the tokenizer as
/// `tokenizer.ggml.*` plus the complete `tokenizer.huggingface.json`, and every weight matrix in one type.
/// As llama-quantize does (src/llama-quant.cpp), norms (1-D) and the router `ffn_gate_inp` stay F32, and a matrix
/// whose rows are not a whole number of the type's blocks falls back (Q4_K→Q5_0, Q5_K→Q5_1, Q6_K→Q8_0, then F16).
/// The file is streamed tensor by tensor into a `.partial` file renamed at the end, so a failed run leaves no
/// half-written output.
public enum ModelQuantizer {
    /// The `--type` names and their tensor types.
    public static let types: [String: GGMLType] = ["f16": .f16, "q8_0": .q8_0, "q4_0": .q4_0, "q4_k": .q4_K, "q5_k": .q5_K, "q6_k": .q6_K]

    /// llama.cpp `llama_ftype` of a file mostly in `type` (the uniform K-quant files are closest to the _S mixes).
    static func fileType(_ type: GGMLType) -> UInt32 {
        switch type {
        case .f32: 0
        case .f16: 1
        case .q4_0: 2
        case .q4_1: 3
        case .q8_0: 7
        case .q5_0: 8
        case .q5_1: 9
        case .q4_K: 14
        case .q5_K: 16
        case .q6_K: 18
        case .bf16: 32
        }
    }

    /// The type a tensor of `shape` gets when the file's type is `type`.
    static func tensorType(_ ggufName: String, shape: [Int], requested type: GGMLType) -> GGMLType {
        if shape.count == 1 || ggufName.hasSuffix("ffn_gate_inp.weight") { return .f32 }
        let row = shape.last ?? 0
        var candidate = type
        while row % candidate.blockSize != 0 {
            switch candidate {
            case .q4_K: candidate = .q5_0
            case .q5_K: candidate = .q5_1
            case .q6_K: candidate = .q8_0
            default: return .f16
            }
        }
        return candidate
    }

    public struct Written {
        public let tensors: [(name: String, type: GGMLType, shape: [Int])]
        public let bytes: Int
    }

    /// One tensor of the output: the Hugging Face tensors it is made of (several for stacked experts), its GGUF
    /// name and shape, or its values when the converter generates it (DiffusionGemma's `rope_freqs`).
    struct PlanEntry {
        let hf: [String]
        let gguf: String
        let shape: [Int]
        let values: [Float]?
    }

    /// Quantizes the model in `folder` (model_type `llada_moe` or `diffusion_gemma`) to `type` and writes `output`.
    @discardableResult
    public static func quantize(folder: URL, type: GGMLType, output: URL) throws -> Written {
        let configURL = folder.appendingPathComponent("config.json")
        let fields = try JSONFields(try JSONValue.read(configURL), file: configURL.path)
        let modelType = try fields.string("model_type")
        var writer = GGUFWriter()
        let plan: [PlanEntry]
        let metadata: [(String, GGUFValue)]
        let vocabularySize: Int
        switch modelType {
        case "llada_moe":
            let config = try LLaDAMoEConfiguration(fields: fields)
            writer.set("general.architecture", .string(LLaDAMoEGGUF.architecture))
            do { metadata = try LLaDAMoEGGUF.metadata(config) } catch let error as ModelFileError {
                throw ModelFileError(file: configURL.path, error.message)
            }
            plan = lladaMoEPlan(config)
            vocabularySize = config.vocabularySize
        case "diffusion_gemma":
            let config = try DiffusionGemmaConfiguration(fields: fields, warnings: WarningSink { _ in })
            let generationURL = folder.appendingPathComponent("generation_config.json")
            let generation = FileManager.default.fileExists(atPath: generationURL.path)
                ? try JSONFields(try JSONValue.read(generationURL), file: generationURL.path) : nil
            writer.set("general.architecture", .string(DiffusionGemmaGGUF.architecture))
            metadata = try DiffusionGemmaGGUF.metadata(config, config: fields, generation: generation)
            plan = DiffusionGemmaGGUF.plan(config)
            vocabularySize = config.vocabularySize
        default:
            throw ModelFileError(file: configURL.path, "field 'model_type' is '\(modelType)'; only llada_moe and diffusion_gemma can be written as GGUF")
        }
        writer.set("general.name", .string(folder.lastPathComponent))
        writer.set("general.quantization_version", .uint32(2))
        writer.set("general.file_type", .uint32(fileType(type)))
        for (key, value) in metadata { writer.set(key, value) }
        try GGUFTokenizerMetadata.add(folder.appendingPathComponent("tokenizer.json"), vocabularySize: vocabularySize, to: &writer)
        let store = try WeightStore(folder: folder)

        // Declare every tensor first, so the header can be written before any tensor is converted; then stream
        // the tensors one by one (only one tensor's F32 and encoded bytes are in memory at a time).
        var written: [(String, GGMLType, [Int])] = []
        for entry in plan {
            let tensorType = tensorType(entry.gguf, shape: entry.shape, requested: type)
            try writer.declare(entry.gguf, type: tensorType, shape: entry.shape)
            written.append((entry.gguf, tensorType, entry.shape))
        }
        let partial = output.deletingLastPathComponent().appendingPathComponent(".\(output.lastPathComponent).partial")
        guard FileManager.default.createFile(atPath: partial.path, contents: nil), let handle = FileHandle(forWritingAtPath: partial.path) else {
            throw ModelFileError(file: output.path, "cannot create \(partial.path)")
        }
        var finished = false
        defer {
            try? handle.close()
            if !finished { try? FileManager.default.removeItem(at: partial) }
        }
        func write(_ data: Data) throws {
            do { try handle.write(contentsOf: data) } catch {
                throw ModelFileError(file: output.path, "cannot write (\(error.localizedDescription))")
            }
        }
        let header = writer.encodedHeader()
        try write(header)
        var total = header.count
        for (entry, (_, tensorType, _)) in zip(plan, written) {
            // Stacked experts are the experts' matrices one after the other: [E, rows, columns].
            var values: [Float] = entry.values ?? []
            let partShape = entry.hf.count == 1 ? entry.shape : Array(entry.shape.dropFirst())
            for name in entry.hf {
                let tensorValues = try store.tensor(name, shape: partShape).values
                if let bad = tensorValues.firstIndex(where: { !$0.isFinite }) {
                    throw ModelFileError(file: folder.path, "tensor '\(name)' has a non-finite value \(tensorValues[bad]) at element \(bad); it cannot be quantized")
                }
                values.append(contentsOf: tensorValues)
            }
            let byteCount = tensorType.byteCount(elements: values.count) ?? 0
            var bytes = Data(count: byteCount)
            values.withUnsafeBufferPointer { source in
                bytes.withUnsafeMutableBytes { Quantize.run(tensorType, source.baseAddress!, count: values.count, into: $0.baseAddress!) }
            }
            try write(bytes)
            try write(Data(count: writer.padding(after: byteCount)))
            total += byteCount + writer.padding(after: byteCount)
        }
        do {
            try handle.close()
            if FileManager.default.fileExists(atPath: output.path) { try FileManager.default.removeItem(at: output) }
            try FileManager.default.moveItem(at: partial, to: output)
        } catch {
            throw ModelFileError(file: output.path, "cannot write (\(error.localizedDescription))")
        }
        finished = true
        return Written(tensors: written, bytes: total)
    }

    /// LLaDA-MoE's tensors in llama.cpp's names, the experts stacked [E, rows, columns].
    static func lladaMoEPlan(_ config: LLaDAMoEConfiguration) -> [PlanEntry] {
        let d = config.hiddenSize, q = config.headCount * config.headDim, kv = config.keyValueHeadCount * config.headDim
        var plan = [PlanEntry(hf: ["model.embed_tokens.weight"], gguf: "token_embd.weight", shape: [config.vocabularySize, d], values: nil)]
        for n in 0 ..< config.layerCount {
            let p = "model.layers.\(n)."
            var layer: [(String, [Int])] = [
                ("input_layernorm.weight", [d]), ("self_attn.q_proj.weight", [q, d]), ("self_attn.k_proj.weight", [kv, d]),
                ("self_attn.v_proj.weight", [kv, d]), ("self_attn.o_proj.weight", [d, q]), ("post_attention_layernorm.weight", [d]),
                ("mlp.gate.weight", [config.expertCount, d]),
            ]
            if config.qkNorm { layer += [("self_attn.q_norm.weight", [config.headDim]), ("self_attn.k_norm.weight", [config.headDim])] }
            for (name, shape) in layer {
                guard let mapped = LLaDAMoEGGUF.ggufName(p + name) else { continue }
                plan.append(PlanEntry(hf: [p + name], gguf: mapped.name, shape: shape, values: nil))
            }
            for (kind, shape) in [("gate_proj", [config.expertHidden, d]), ("up_proj", [config.expertHidden, d]), ("down_proj", [d, config.expertHidden])] {
                let names = (0 ..< config.expertCount).map { p + "mlp.experts.\($0).\(kind).weight" }
                guard let mapped = LLaDAMoEGGUF.ggufName(names[0]) else { continue }
                plan.append(PlanEntry(hf: names, gguf: mapped.name, shape: [config.expertCount] + shape, values: nil))
            }
        }
        plan.append(PlanEntry(hf: ["model.norm.weight"], gguf: "output_norm.weight", shape: [d], values: nil))
        if !config.tieWordEmbeddings { plan.append(PlanEntry(hf: ["lm_head.weight"], gguf: "output.weight", shape: [config.vocabularySize, d], values: nil)) }
        return plan
    }
}
