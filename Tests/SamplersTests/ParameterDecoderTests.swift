import DiffusionCore
import Testing
@testable import Samplers

/// Parameters go from their values to a config directly (no text format between), and every failure names its key
/// as data.
@Suite struct ParameterDecoderTests {
    @Test func valuesDecodeToTheirTypes() throws {
        let config = try ParameterDecoder.decode(WithLoop<FastDLLMThresholdParameters>.self, from: [
            "threshold": .int(1), "temperature": .double(0.25), "block_length": .double(4.0), "stop_at_eos": .bool(true),
        ])
        #expect(config.own.threshold == 1 && config.own.temperature == 0.25)
        #expect(config.loop.blockLength == 4 && config.loop.stopAtEOS == true && config.loop.cfgScale == nil)
        // A text enum (Ψ-sampler's mode) decodes from its text.
        let psi = try ParameterDecoder.decode(PsiSamplerParameters.self, from: ["mode": .string("pc")])
        #expect(psi.mode == .pc)
        // Nothing given: every key at its default (nil).
        #expect(try ParameterDecoder.decode(LoopOptions.self, from: [:]) == LoopOptions())
    }

    @Test func wrongTypesNameTheKey() {
        func problem(_ values: [String: ParameterValue]) -> ParameterError? {
            #expect(throws: ParameterError.self) { try ParameterDecoder.decode(WithLoop<FastDLLMThresholdParameters>.self, from: values) }
        }
        #expect(problem(["threshold": .string("high")]) == ParameterError(key: "threshold", value: "high", problem: "must be a number"))
        #expect(problem(["block_length": .double(2.5)]) == ParameterError(key: "block_length", value: "2.5", problem: "must be an integer"))
        #expect(problem(["block_length": .double(1e300)]) == ParameterError(key: "block_length", value: "1e+300", problem: "must be an integer"))
        #expect(problem(["stop_at_eos": .int(1)]) == ParameterError(key: "stop_at_eos", value: "1", problem: "must be true or false"))
        let mode = #expect(throws: ParameterError.self) {
            try ParameterDecoder.decode(PsiSamplerParameters.self, from: ["mode": .string("pcc")])
        }
        #expect(mode?.key == "mode" && mode?.value == "pcc" && mode?.problem.hasPrefix("has an invalid value") == true)
        let text = #expect(throws: ParameterError.self) {
            try ParameterDecoder.decode(PsiSamplerParameters.self, from: ["mode": .int(3)])
        }
        #expect(text?.key == "mode" && text?.problem == "must be text")
    }

    /// `--param` and YAML's plain scalars share one parser; non-finite numbers stay text, so number keys refuse them.
    @Test func oneScalarParser() {
        #expect(ParameterValue(parsing: "4") == .int(4) && ParameterValue(parsing: "0.5") == .double(0.5))
        #expect(ParameterValue(parsing: "true") == .bool(true) && ParameterValue(parsing: "cosine") == .string("cosine"))
        #expect(ParameterValue(parsing: "nan") == .string("nan") && ParameterValue(parsing: "inf") == .string("inf"))
    }
}
