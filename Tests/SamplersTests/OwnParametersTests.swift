import DiffusionCore
import Samplers
import Testing

/// A sampler accepts exactly the parameters it uses, so a grid over a key it would ignore is an error instead of
/// identical runs under different labels.
@Suite struct OwnParametersTests {
    static let ignoredKeys: [(sampler: String, key: String)] = [
        ("fast_dllm_threshold", "factor"), ("fast_dllm_factor", "threshold"), ("mdlm_first_hitting", "eps"),
        ("mdlm_first_hitting", "schedule"), ("dream_origin", "alg_temp"), ("remdm_conf", "eta"),
        ("llada2_threshold", "edit_threshold"), ("klass", "cfg_scale"), ("prophet", "cfg_scale"),
    ]

    @Test(arguments: ignoredKeys.indices.map { $0 })
    func keysASamplerDoesNotUseAreRejected(_ index: Int) {
        let (sampler, key) = Self.ignoredKeys[index]
        let error = #expect(throws: ParameterError.self, "\(sampler) accepted \(key)") {
            try SamplerRegistry().sampler(named: sampler, parameters: [key: .double(0.5)])
        }
        #expect(error?.key == key && error?.sampler == sampler)
    }
}
