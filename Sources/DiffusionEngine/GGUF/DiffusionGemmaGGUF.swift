/// DiffusionGemma in GGUF form, as llama.cpp's DiffusionGemma pull requests name it and as the released
/// `unsloth/diffusiongemma-26B-A4B-it-GGUF` files carry it: architecture `diffusion-gemma`, hyperparameters under
/// `diffusion-gemma.*` (Gemma 4's keys: per-layer `attention.head_count_kv`, `attention.sliding_window_pattern`,
/// `key_length`/`key_length_swa`, `rope.freq_base`/`rope.freq_base_swa`), the canvas as `diffusion.canvas_length`
/// and the entropy-bound sampler defaults as `diffusion.eb_*` (written only when generation_config.json has them).
/// One weight stack serves encoder and decoder (the released checkpoint ties them): `token_embd` (also the LM head),
/// `blk.N.attn_{q,k,v,output}` (no `attn_v` on full-attention layers), fused experts `blk.N.ffn_gate_up_exps`
/// [E, 2F, d] and `ffn_down_exps` [E, d, F] with the per-expert scale `ffn_down_exps.scale`, the router
/// `ffn_gate_inp` with its `ffn_gate_inp.scale`, the layer scalars `layer_output_scale` (decoder) and
/// `enc_layer_output_scale` (encoder), `self_cond_{pre_norm,gate,up,down}`, and `rope_freqs` [full head dim / 2]
/// (1 for rotated pairs, 1e30 for the unrotated ones of the proportional RoPE).
/// Sources:
/// - https://github.com/ggml-org/llama.cpp/pull/24423 and /pull/24427 (both point users at the unsloth GGUF);
/// - https://github.com/ggml-org/llama.cpp/blob/c5fe75b9765965614260f534a89a51ad03244a8e/conversion/diffusion_gemma.py
///   (`DiffusionGemmaModel.set_gguf_parameters`, `modify_tensors`) on top of conversion/gemma.py `Gemma4Model`
///   (`set_gguf_parameters`, `generate_extra_tensors`, `modify_tensors`: router.scale, per_expert_scale);
/// - https://github.com/danielhanchen/llama.cpp/blob/460c1eff17e3e39520804deb0e7c8d6bb59fd1b0/src/models/diffusion-gemma.cpp
///   (`load_arch_hparams`, `load_arch_tensors`: shapes, optional `attn_v`, tied head) and its
///   examples/diffusion reading `diffusion.eb_max_steps`, `eb_t_min`, `eb_t_max`, `eb_entropy_bound`,
///   `eb_stability_threshold`, `eb_confidence_threshold`;
/// - https://huggingface.co/unsloth/diffusiongemma-26B-A4B-it-GGUF (692 tensors, fused experts, no eb_* keys).
/// Gemma 4's norms are stored as used (no +1 shift), so every tensor is the Hugging Face one under a new name.
public enum DiffusionGemmaGGUF {
    public static let architecture = "diffusion-gemma"
    static let encoderLayers = "model.encoder.language_model.layers."
    static let decoderLayers = "model.decoder.layers."

    /// The Hugging Face tensor `name` (as DiffusionGemmaModel asks for it) as a GGUF tensor name.
    public static func ggufName(_ name: String) -> (name: String, expert: Int?)? {
        let global: [String: String] = [
            "model.decoder.embed_tokens.weight": "token_embd.weight",
            "model.decoder.norm.weight": "output_norm.weight",
            "model.decoder.self_conditioning.pre_norm.weight": "self_cond_pre_norm.weight",
            "model.decoder.self_conditioning.gate_proj.weight": "self_cond_gate.weight",
            "model.decoder.self_conditioning.up_proj.weight": "self_cond_up.weight",
            "model.decoder.self_conditioning.down_proj.weight": "self_cond_down.weight",
        ]
        if let mapped = global[name] { return (mapped, nil) }
        for (prefix, encoder) in [(encoderLayers, true), (decoderLayers, false)] where name.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), let layer = Int(rest[..<dot]) else { return nil }
            let suffix = String(rest[rest.index(after: dot)...])
            let block = "blk.\(layer)."
            if encoder { return suffix == "layer_scalar" ? (block + "enc_layer_output_scale.weight", nil) : nil }
            return layerNames[suffix].map { (block + $0, nil) }
        }
        return nil
    }

    static let layerNames: [String: String] = [
        "input_layernorm.weight": "attn_norm.weight",
        "self_attn.q_proj.weight": "attn_q.weight",
        "self_attn.k_proj.weight": "attn_k.weight",
        "self_attn.v_proj.weight": "attn_v.weight",
        "self_attn.o_proj.weight": "attn_output.weight",
        "self_attn.q_norm.weight": "attn_q_norm.weight",
        "self_attn.k_norm.weight": "attn_k_norm.weight",
        "post_attention_layernorm.weight": "post_attention_norm.weight",
        "pre_feedforward_layernorm.weight": "ffn_norm.weight",
        "mlp.gate_proj.weight": "ffn_gate.weight",
        "mlp.up_proj.weight": "ffn_up.weight",
        "mlp.down_proj.weight": "ffn_down.weight",
        "post_feedforward_layernorm_1.weight": "post_ffw_norm_1.weight",
        "pre_feedforward_layernorm_2.weight": "pre_ffw_norm_2.weight",
        "router.proj.weight": "ffn_gate_inp.weight",
        "router.scale": "ffn_gate_inp.scale",
        "router.per_expert_scale": "ffn_down_exps.scale",
        "experts.gate_up_proj": "ffn_gate_up_exps.weight",
        "experts.down_proj": "ffn_down_exps.weight",
        "post_feedforward_layernorm_2.weight": "post_ffw_norm_2.weight",
        "post_feedforward_layernorm.weight": "post_ffw_norm.weight",
        "layer_scalar": "layer_output_scale.weight",
    ]

    /// The entropy-bound sampler keys and the generation_config.json fields they come from.
    static let samplerKeys: [(key: String, field: String)] = [
        ("diffusion.eb_max_steps", "max_denoising_steps"), ("diffusion.eb_t_min", "t_min"), ("diffusion.eb_t_max", "t_max"),
        ("diffusion.eb_entropy_bound", "sampler_config.entropy_bound"),
        ("diffusion.eb_stability_threshold", "stability_threshold"),
        ("diffusion.eb_confidence_threshold", "confidence_threshold"),
    ]
}
