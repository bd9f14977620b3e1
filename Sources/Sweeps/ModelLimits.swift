import DiffusionCore
import DiffusionEngine

/// What a loaded model can take, read from its config: the context (`max_position_embeddings`: prompt plus every
/// generated token) and, for block diffusion, the canvas (`canvas_length`: tokens denoised together). Lengths are
/// checked against these before any generation starts, so a too-long request is refused at once instead of running
/// for minutes (or allocating) before the model refuses it.
public struct ModelLimits: Sendable, Equatable {
    /// Tokens of prompt plus output the model can attend over; nil when the model type states none.
    public let context: Int?
    /// The largest canvas; nil when any canvas that fits the context works (LLaDA-MoE).
    public let canvas: Int?

    public init(context: Int?, canvas: Int?) {
        self.context = context
        self.canvas = canvas
    }

    public init(_ denoiser: any Denoiser) {
        switch denoiser {
        case let model as LLaDAMoEModel: self.init(context: model.config.maxPositions, canvas: nil)
        case let model as DiffusionGemmaModel: self.init(context: model.config.maxPositions, canvas: model.config.canvasLength)
        default: self.init(context: nil, canvas: nil)
        }
    }

    /// Checks one generation: a prompt of `promptTokens`, canvases of `canvasLength`, `totalNew` tokens in all.
    /// - Throws: `ModelLimitError` naming the value, the limit and the config field it comes from.
    public func check(promptTokens: Int, canvasLength: Int, totalNew: Int, canvasName: String = "the canvas length",
                      totalName: String = "the generated length") throws {
        if let canvas, canvasLength > canvas {
            throw ModelLimitError("\(canvasName) \(canvasLength) exceeds the model's canvas of \(canvas) tokens (canvas_length in config.json)")
        }
        if let context, promptTokens > context || totalNew > context - promptTokens {
            throw ModelLimitError("the prompt (\(promptTokens) tokens) plus \(totalName) \(totalNew) exceed the model's context of \(context) tokens (max_position_embeddings in config.json)")
        }
    }
}

/// A length the model cannot take.
public struct ModelLimitError: Error, CustomStringConvertible, Equatable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
