import Foundation
import Yams

/// Reads model shapes, hardware profiles and method lists from YAML. Every problem becomes a `ProjectionError`
/// naming the file, the line and the field.
struct FileReader {
    let file: String

    func fail(_ node: Node?, _ field: String, _ message: String) -> ProjectionError {
        let line = node?.mark.map { ":\($0.line)" } ?? ""
        return ProjectionError("\(file)\(line): \(field): \(message)")
    }

    static func load(_ url: URL) throws -> (FileReader, Node) {
        let reader = FileReader(file: url.path)
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw ProjectionError("\(url.path): cannot read the file (\(error.localizedDescription))")
        }
        do {
            guard let node = try Yams.compose(yaml: text) else { throw reader.fail(nil, "(top level)", "the file is empty") }
            return (reader, node)
        } catch let error as ProjectionError { throw error } catch {
            throw ProjectionError("\(url.path): YAML: \(error)")
        }
    }

    func mapping(_ node: Node, _ field: String, allowed: [String], required: [String]) throws -> [String: Node] {
        guard let mapping = node.mapping else { throw fail(node, field, "expected a mapping of keys to values") }
        var result: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { throw fail(key, field, "keys must be plain names") }
            guard allowed.contains(name) else {
                throw fail(key, "\(field).\(name)", "unknown key; allowed: \(allowed.joined(separator: ", "))")
            }
            result[name] = value
        }
        for name in required where result[name] == nil { throw fail(node, "\(field).\(name)", "missing") }
        return result
    }

    func string(_ node: Node, _ field: String) throws -> String {
        guard let text = node.scalar?.string, !text.isEmpty else { throw fail(node, field, "expected text") }
        return text
    }

    /// One text or a list of texts (a `source:` field may hold one URL or several).
    func strings(_ node: Node?, _ field: String) throws -> [String] {
        guard let node else { return [] }
        if let list = node.sequence { return try list.enumerated().map { try string($1, "\(field)[\($0)]") } }
        return [try string(node, field)]
    }

    func number(_ node: Node, _ field: String, positive: Bool = false, allowZero: Bool = true) throws -> Double {
        guard let text = node.scalar?.string, let value = Double(text), value.isFinite else {
            throw fail(node, field, "expected a number, got '\(node.scalar?.string ?? "a non-scalar")'")
        }
        if value < 0 || (!allowZero && value == 0) {
            throw fail(node, field, "expected a \(allowZero ? "non-negative" : "positive") number, got \(text)")
        }
        return value
    }

    func count(_ node: Node, _ field: String, allowZero: Bool = false) throws -> Int {
        guard let text = node.scalar?.string, let value = Int(text), value > 0 || (allowZero && value == 0) else {
            throw fail(node, field, "expected a \(allowZero ? "non-negative" : "positive") whole number, got '\(node.scalar?.string ?? "a non-scalar")'")
        }
        return value
    }

    func bool(_ node: Node?, _ field: String) throws -> Bool {
        guard let node else { return false }
        switch node.scalar?.string.lowercased() {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw fail(node, field, "expected true or false")
        }
    }

    func list(_ node: Node, _ field: String) throws -> [Node] {
        guard let list = node.sequence, !list.isEmpty else { throw fail(node, field, "expected a non-empty list") }
        return Array(list)
    }
}

public enum ProjectionFiles {
    /// A model shape file (Experiments/projection/models/*.yaml).
    public static func model(_ url: URL) throws -> ModelShape {
        let (r, top) = try FileReader.load(url)
        let keys = try r.mapping(top, "(top level)", allowed: ["name", "source", "notes", "vocabulary", "hidden",
                                                                "tied_embeddings", "self_conditioning", "layers"],
                                 required: ["name", "source", "vocabulary", "hidden", "layers"])
        var groups: [ModelShape.LayerGroup] = []
        for (index, node) in try r.list(keys["layers"]!, "layers").enumerated() {
            let field = "layers[\(index)]"
            let g = try r.mapping(node, field, allowed: ["count", "attention", "dense_ffn", "moe"], required: ["count", "attention"])
            let a = try r.mapping(g["attention"]!, "\(field).attention",
                                  allowed: ["heads", "kv_heads", "head_dim", "values_share_keys", "window"],
                                  required: ["heads", "kv_heads", "head_dim"])
            let attention = ModelShape.Attention(
                heads: try r.count(a["heads"]!, "\(field).attention.heads"),
                keyValueHeads: try r.count(a["kv_heads"]!, "\(field).attention.kv_heads"),
                headDim: try r.count(a["head_dim"]!, "\(field).attention.head_dim"),
                valuesShareKeys: try r.bool(a["values_share_keys"], "\(field).attention.values_share_keys"),
                window: try a["window"].map { try r.count($0, "\(field).attention.window") })
            var mixture: ModelShape.MixtureOfExperts?
            if let moeNode = g["moe"] {
                let m = try r.mapping(moeNode, "\(field).moe", allowed: ["experts", "active", "expert_ffn", "shared_ffn"],
                                      required: ["experts", "active", "expert_ffn"])
                let experts = try r.count(m["experts"]!, "\(field).moe.experts")
                let active = try r.count(m["active"]!, "\(field).moe.active")
                guard active <= experts else { throw r.fail(m["active"], "\(field).moe.active", "\(active) exceeds the \(experts) experts") }
                mixture = .init(experts: experts, activePerToken: active, expertHidden: try r.count(m["expert_ffn"]!, "\(field).moe.expert_ffn"),
                                sharedHidden: try m["shared_ffn"].map { try r.count($0, "\(field).moe.shared_ffn", allowZero: true) } ?? 0)
            }
            let dense = try g["dense_ffn"].map { try r.count($0, "\(field).dense_ffn", allowZero: true) } ?? 0
            groups.append(.init(count: try r.count(g["count"]!, "\(field).count"), attention: attention,
                                denseHidden: dense, mixture: mixture))
        }
        return ModelShape(name: try r.string(keys["name"]!, "name"), sources: try r.strings(keys["source"], "source"),
                          notes: try keys["notes"].map { try r.string($0, "notes") } ?? "",
                          vocabularySize: try r.count(keys["vocabulary"]!, "vocabulary"), hiddenSize: try r.count(keys["hidden"]!, "hidden"),
                          tiedEmbeddings: try r.bool(keys["tied_embeddings"], "tied_embeddings"),
                          selfConditioning: try r.bool(keys["self_conditioning"], "self_conditioning"), layers: groups)
    }

    /// A hardware profile file (Experiments/projection/hardware/*.yaml).
    public static func hardware(_ url: URL) throws -> HardwareProfile {
        let (r, top) = try FileReader.load(url)
        let keys = try r.mapping(top, "(top level)", allowed: ["name", "source", "notes", "peak_tflops", "bandwidth_gb_s",
                                                                "memory_gb", "pass_overhead_ms", "host_sampling_ns_per_logit", "host_link_gb_s"],
                                 required: ["name", "source", "peak_tflops", "bandwidth_gb_s", "memory_gb"])
        let peaks = try r.mapping(keys["peak_tflops"]!, "peak_tflops", allowed: ComputeType.allCases.map(\.rawValue), required: [])
        var peak: [ComputeType: Double] = [:]
        for (name, node) in peaks {
            peak[ComputeType(rawValue: name)!] = try r.number(node, "peak_tflops.\(name)", allowZero: false) * 1e12
        }
        guard !peak.isEmpty else { throw r.fail(keys["peak_tflops"], "peak_tflops", "lists no compute type") }
        return HardwareProfile(
            name: try r.string(keys["name"]!, "name"), sources: try r.strings(keys["source"], "source"),
            notes: try keys["notes"].map { try r.string($0, "notes") } ?? "", peakFLOPS: peak,
            bandwidth: try r.number(keys["bandwidth_gb_s"]!, "bandwidth_gb_s", allowZero: false) * 1e9,
            memoryBytes: try r.number(keys["memory_gb"]!, "memory_gb", allowZero: false) * 1e9,
            passOverhead: try keys["pass_overhead_ms"].map { try r.number($0, "pass_overhead_ms") * 1e-3 } ?? 0,
            hostSamplingPerLogit: try keys["host_sampling_ns_per_logit"].map { try r.number($0, "host_sampling_ns_per_logit") * 1e-9 } ?? 0,
            hostLinkBandwidth: try keys["host_link_gb_s"].map { try r.number($0, "host_link_gb_s") * 1e9 } ?? 0)
    }

    /// A methods file: a list of methods, each on the given model unless it names another (`resolveModel` maps the
    /// name or path to a shape).
    /// A method may take its statistics from a results database (`measured:`); `resolveMeasured` reads them.
    public static func methods(_ url: URL, defaultModel: ModelShape, resolveModel: (String) throws -> ModelShape,
                               resolveMeasured: (MeasuredSource) throws -> MethodStatistics = { _ in
                                   throw ProjectionError("measured statistics cannot be read here")
                               }) throws -> [MethodSpec] {
        let (r, top) = try FileReader.load(url)
        let keys = try r.mapping(top, "(top level)", allowed: ["methods", "notes"], required: ["methods"])
        return try r.list(keys["methods"]!, "methods").enumerated().map { index, node in
            let field = "methods[\(index)]"
            let m = try r.mapping(node, field, allowed: ["name", "kind", "model", "source", "canvas", "tokens_per_forward",
                                                         "nfe_per_token", "commit_pass", "acceptance", "drafter_parameters",
                                                         "drafter_layers", "measured"],
                                  required: ["name", "kind"])
            let model = try m["model"].map { try resolveModel(try r.string($0, "\(field).model")) } ?? defaultModel
            var statistics = MethodStatistics(
                nfePerToken: try m["nfe_per_token"].map { try r.number($0, "\(field).nfe_per_token", allowZero: false) },
                tokensPerForward: try m["tokens_per_forward"].map { try r.number($0, "\(field).tokens_per_forward", allowZero: false) },
                acceptancePerPosition: try m["acceptance"].map { node in
                    try r.list(node, "\(field).acceptance").enumerated().map { try r.number($1, "\(field).acceptance[\($0)]") }
                })
            if let measured = m["measured"] {
                guard statistics == MethodStatistics() else {
                    throw r.fail(measured, "\(field).measured", "give measured statistics or published ones, not both")
                }
                let q = try r.mapping(measured, "\(field).measured", allowed: ["database", "sampler", "model", "task", "steps"],
                                      required: ["database", "sampler"])
                let source = MeasuredSource(
                    database: try r.string(q["database"]!, "\(field).measured.database"),
                    samplerConfig: try r.string(q["sampler"]!, "\(field).measured.sampler"),
                    model: try q["model"].map { try r.string($0, "\(field).measured.model") },
                    task: try q["task"].map { try r.string($0, "\(field).measured.task") },
                    stepBudget: try q["steps"].map { try r.count($0, "\(field).measured.steps") })
                do { statistics = try resolveMeasured(source) } catch let error as ProjectionError {
                    throw r.fail(measured, "\(field).measured", error.description)
                }
            }
            let method: DecodingMethod
            let kindNode = m["kind"]!
            switch try r.string(kindNode, "\(field).kind") {
            case "ar": method = .autoregressive
            case "ar_mtp":
                method = try .multiTokenPrediction(
                    statistics: statistics,
                    drafterParameters: try m["drafter_parameters"].map { try r.number($0, "\(field).drafter_parameters") } ?? 0,
                    drafterLayers: try m["drafter_layers"].map { try r.count($0, "\(field).drafter_layers") } ?? 1,
                    field: "\(r.file): \(field)")
            case "diffusion":
                guard let canvasNode = m["canvas"] else { throw r.fail(node, "\(field).canvas", "missing (a diffusion method needs its canvas or block size)") }
                method = try .diffusion(canvas: try r.count(canvasNode, "\(field).canvas"), statistics: statistics,
                                        commitPass: try r.bool(m["commit_pass"], "\(field).commit_pass"), field: "\(r.file): \(field)")
            case let other:
                throw r.fail(kindNode, "\(field).kind", "unknown kind '\(other)'; known: ar, ar_mtp, diffusion")
            }
            return MethodSpec(name: try r.string(m["name"]!, "\(field).name"), method: method, model: model,
                              sources: try r.strings(m["source"], "\(field).source"))
        }
    }
}
