/// Random-weight LLaDA-MoE shapes that `dlab bench` times beside the shipped model, as config.json objects.
public enum BenchmarkConfigurations {
    static func config(
        vocabulary: Int, hidden: Int, layers: Int, heads: Int, keyValueHeads: Int? = nil, experts: Int, topK: Int,
        expertHidden: Int, normalizeTopK: Bool, maxPositions: Int = 4096
    ) -> JSONValue {
        .object([
            "model_type": .string("llada_moe"),
            "vocab_size": .int(vocabulary), "hidden_size": .int(hidden), "num_hidden_layers": .int(layers),
            "num_attention_heads": .int(heads), "num_key_value_heads": .int(keyValueHeads ?? heads),
            "num_experts": .int(experts), "num_experts_per_tok": .int(topK),
            "expert_intermediate_size": .int(expertHidden), "max_position_embeddings": .int(maxPositions),
            "rope_theta": .double(50000), "rms_norm_eps": .double(1e-5), "qk_layernorm": .bool(true),
            "norm_topk_prob": .bool(normalizeTopK), "mask_token_id": .int(vocabulary - 1), "eos_token_id": .int(vocabulary - 2),
            "pad_token_id": .int(vocabulary - 2),
        ])
    }

    /// Name, configuration and the sequence lengths to time.
    public static let all: [(name: String, config: JSONValue, lengths: [Int])] = [
        // The reference shape of the foundation issue: PyTorch eager and llama.cpp's diffusion example take about
        // 12 ms per forward at 84 tokens on one core of the development machine. Same as `tiny-ref` in
        // Experiments/models/tools/bench_pytorch.py, so the two can be compared.
        ("reference-256x4", config(vocabulary: 4096, hidden: 256, layers: 4, heads: 4, experts: 8, topK: 2, expertHidden: 128,
                                   normalizeTopK: true), [84, 276]),
        // ≈100M parameters, to show the scale of real models; `moe-100m` in bench_pytorch.py.
        ("moe-100m", config(vocabulary: 8192, hidden: 768, layers: 8, heads: 12, keyValueHeads: 4, experts: 16, topK: 2,
                            expertHidden: 256, normalizeTopK: true), [256]),
        // One layer of the released LLaDA-MoE-7B-A1B (hidden 2048, 16 heads of 128, 64 experts top-8 of 1024),
        // with a token vocabulary so small that the time is the layer's own.
        ("llada-moe-7b-a1b-1layer", config(vocabulary: 64, hidden: 2048, layers: 1, heads: 16, experts: 64, topK: 8, expertHidden: 1024,
                                           normalizeTopK: false), [256]),
    ]
}
