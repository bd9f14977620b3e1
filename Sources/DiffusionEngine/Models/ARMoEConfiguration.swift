import Foundation

/// The `config.json` of an autoregressive LLaDA-MoE with multi-token prediction (model_type `ar_moe_mtp`,
/// written by `Experiments/models/tools/ar_mtp.py`): every LLaDA-MoE field, read and checked by
/// `LLaDAMoEConfiguration`, plus the MTP modules as DeepSeek-V3's config names them.
public struct ARMoEConfiguration: Sendable, Equatable {
    /// The main model's fields (its `mask_token_id` names a token of the shared vocabulary that is never generated).
    public var base: LLaDAMoEConfiguration
    /// MTP modules (`num_nextn_predict_layers`, default 0): module k drafts the k-th token after the next one.
    public var predictionModules: Int
    /// Per MTP block, MoE (true) or dense SwiGLU of `dense_intermediate_size` (`mtp_moe_layer_freq`, default MoE).
    public var moduleMoE: [Bool]

    /// The keys beyond LLaDA-MoE's that this config may hold.
    static let moduleKeys: Set<String> = ["num_nextn_predict_layers", "mtp_moe_layer_freq"]

    public init(contentsOf url: URL, warnings: WarningSink = .standardError) throws {
        try self.init(fields: try JSONFields(try JSONValue.read(url), file: url.path), warnings: warnings)
    }

    public init(fields c: JSONFields, warnings: WarningSink = .standardError) throws {
        base = try LLaDAMoEConfiguration(fields: c, warnings: warnings, extraKeys: Self.moduleKeys)
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: c.file, message) }
        predictionModules = try c.optionalInt("num_nextn_predict_layers") ?? 0
        guard predictionModules >= 0, predictionModules <= 16 else {
            throw fail("field 'num_nextn_predict_layers' must be in 0...16, found \(predictionModules)")
        }
        if let frequency = try c.optionalIntList("mtp_moe_layer_freq") {
            guard frequency.count == predictionModules else {
                throw fail("field 'mtp_moe_layer_freq' has \(frequency.count) entries for \(predictionModules) MTP modules")
            }
            guard frequency.allSatisfy({ $0 == 0 || $0 == 1 }) else { throw fail("field 'mtp_moe_layer_freq' entries must be 0 or 1") }
            moduleMoE = frequency.map { $0 == 1 }
        } else {
            moduleMoE = Array(repeating: true, count: predictionModules)
        }
        if moduleMoE.contains(false) {
            guard let dense = base.denseHidden, dense > 0 else {
                throw fail("field 'dense_intermediate_size' must be a positive integer when mtp_moe_layer_freq has dense blocks")
            }
        }
    }

    /// The configuration the MTP blocks load with: `moe_layer_freq` extended over layers L ..< L + K, where
    /// DeepSeek-V3 checkpoints keep MTP module k's tensors (`model.layers.{L + k - 1}.`).
    var withModuleLayers: LLaDAMoEConfiguration {
        var extended = base
        extended.moeLayers += moduleMoE
        return extended
    }

    /// Parameters of the main model (total, active per token) and of the MTP modules (total).
    public var parameterCounts: (total: Int, active: Int, modules: Int) {
        let main = base.parameterCounts
        let d = base.hiddenSize
        let withModules = withModuleLayers.parameterCounts  // counts one block per moeLayers entry
        // Each module adds enorm, hnorm [d] and eh_proj [d, 2d] to its block.
        let modules = withModules.total - main.total + predictionModules * (2 * d + 2 * d * d)
        return (main.total, main.activePerToken, modules)
    }
}
