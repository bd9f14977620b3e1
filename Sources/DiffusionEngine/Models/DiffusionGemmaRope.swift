// port of the RoPE initialisers transformers' DiffusionGemma config names:
// https://github.com/huggingface/transformers/blob/v5.23.0/src/transformers/modeling_rope_utils.py
// (`compute_default_rope_parameters`, `_compute_proportional_rope_parameters`).
import Foundation

extension DiffusionGemmaConfiguration {
    /// RoPE inverse frequencies of one layer kind, headDim/2 of them (pairs i, i + headDim/2 as `rotate_half`).
    /// - default: 1 / θ^(2i / headDim) for every pair (a partial factor other than 1 would not match the head).
    /// - proportional: the first ⌊factor·headDim/2⌋ pairs get 1 / θ^(2i / headDim) (the full head dim in the
    ///   exponent), the rest 0 (no rotation); all divided by `factor` (rope scaling, default 1).
    static func inverseFrequencies(_ ropes: JSONFields?, kind: LayerKind, headDim: Int, file: String) throws -> [Float] {
        func fail(_ message: String) -> ModelFileError { ModelFileError(file: file, message) }
        let field = "text_config.rope_parameters.\(kind.rawValue)"
        let type: String
        let theta: Double
        let partial: Double
        let scaling: Double
        if let ropes {
            guard let p = try ropes.optionalObject(kind.rawValue) else { throw fail("field '\(field)' is missing") }
            type = try p.string("rope_type")
            theta = try p.double("rope_theta")
            partial = try p.optionalDouble("partial_rotary_factor") ?? 1
            scaling = try p.positiveDouble("factor", default: 1)
        } else if kind == .sliding {
            (type, theta, partial, scaling) = ("default", 10_000, 1, 1)
        } else {
            (type, theta, partial, scaling) = ("proportional", 1_000_000, 0.25, 1)
        }
        guard theta.isFinite, theta > 0 else { throw fail("field '\(field).rope_theta' must be a finite positive number, found \(theta)") }
        let half = headDim / 2
        // inv_freq = 1 / base ** (arange(0, dim, 2, float32) / dim): F32 exponent, F32 power, as torch computes it.
        func frequency(_ i: Int, over dim: Int) -> Float {
            1 / Float(pow(Double(Float(theta)), Double(Float(2 * i) / Float(dim))))
        }
        switch type {
        case "default":
            guard partial == 1, scaling == 1 else {
                throw fail("field '\(field)': rope_type 'default' with partial_rotary_factor \(partial) or factor \(scaling) is not supported")
            }
            return (0 ..< half).map { frequency($0, over: headDim) }
        case "proportional":
            guard partial >= 0, partial <= 1, scaling > 0 else {
                throw fail("field '\(field)': partial_rotary_factor must be in [0, 1] and factor positive")
            }
            let rotated = Int((partial * Double(headDim) / 2).rounded(.down))
            return (0 ..< half).map { i in i < rotated ? Float(Double(frequency(i, over: headDim)) / scaling) : 0 }
        default:
            throw fail("field '\(field).rope_type' is '\(type)'; supported: 'default', 'proportional'")
        }
    }
}
