import Foundation

/// The shape of a transformer as far as cost is concerned: how many weights each layer has, which of them every
/// token uses, and how big its attention and KV cache are. Layers with the same shape form one group; their order
/// does not change the cost.
public struct ModelShape: Sendable, Equatable {
    public struct Attention: Sendable, Equatable {
        public var heads: Int
        public var keyValueHeads: Int
        public var headDim: Int
        /// Gemma 4's full-attention layers use the keys as values (attention_k_eq_v): one projection, one cache.
        public var valuesShareKeys: Bool
        /// Sliding-window length; nil for full attention.
        public var window: Int?

        public init(heads: Int, keyValueHeads: Int, headDim: Int, valuesShareKeys: Bool = false, window: Int? = nil) {
            (self.heads, self.keyValueHeads, self.headDim) = (heads, keyValueHeads, headDim)
            (self.valuesShareKeys, self.window) = (valuesShareKeys, window)
        }

        /// q, k, (v), o projections.
        func parameters(hidden d: Int) -> Double {
            let q = Double(heads * headDim), kv = Double(keyValueHeads * headDim)
            return Double(d) * (2 * q + kv * (valuesShareKeys ? 1 : 2))
        }

        /// Cached elements per token (keys, and values unless shared).
        var cacheElementsPerToken: Double { Double(keyValueHeads * headDim) * (valuesShareKeys ? 1 : 2) }

        /// Keys a query sees with `tokens` positions available.
        func attended(_ tokens: Int) -> Int { min(window ?? tokens, tokens) }
    }

    public struct MixtureOfExperts: Sendable, Equatable {
        public var experts: Int
        /// k: experts each token is routed to.
        public var activePerToken: Int
        public var expertHidden: Int
        /// Always-on shared expert width (0 for none).
        public var sharedHidden: Int

        public init(experts: Int, activePerToken: Int, expertHidden: Int, sharedHidden: Int = 0) {
            (self.experts, self.activePerToken, self.expertHidden, self.sharedHidden) = (experts, activePerToken, expertHidden, sharedHidden)
        }

        /// Expected number of distinct experts that T tokens touch when each picks k of E uniformly:
        /// E·(1 − (1 − k/E)^T). Real routers are not uniform, so this is an upper estimate of the spread.
        public func expectedDistinctExperts(tokens: Int) -> Double {
            let e = Double(experts), k = Double(activePerToken)
            return e * (1 - Foundation.pow(1 - k / e, Double(tokens)))
        }
    }

    public struct LayerGroup: Sendable, Equatable {
        public var count: Int
        public var attention: Attention
        /// Width of a dense gated FFN in this layer (0 for none); Gemma 4 MoE layers have both a dense FFN and experts.
        public var denseHidden: Int
        public var mixture: MixtureOfExperts?

        public init(count: Int, attention: Attention, denseHidden: Int = 0, mixture: MixtureOfExperts? = nil) {
            (self.count, self.attention, self.denseHidden, self.mixture) = (count, attention, denseHidden, mixture)
        }
    }

    public var name: String
    public var sources: [String]
    public var notes: String
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var tiedEmbeddings: Bool
    /// DiffusionGemma feeds the previous step's probabilities back as a soft embedding (p @ W_embed): one more
    /// vocabulary-by-hidden product per canvas token in every denoising pass.
    public var selfConditioning: Bool
    public var layers: [LayerGroup]

    public init(name: String, sources: [String] = [], notes: String = "", vocabularySize: Int, hiddenSize: Int,
                tiedEmbeddings: Bool, selfConditioning: Bool = false, layers: [LayerGroup]) {
        (self.name, self.sources, self.notes) = (name, sources, notes)
        (self.vocabularySize, self.hiddenSize, self.tiedEmbeddings) = (vocabularySize, hiddenSize, tiedEmbeddings)
        (self.selfConditioning, self.layers) = (selfConditioning, layers)
    }

    var d: Double { Double(hiddenSize) }
    var layerCount: Int { layers.reduce(0) { $0 + $1.count } }
    /// One vocabulary-by-hidden matrix (the LM head, and the embedding table when untied).
    var vocabularyMatrix: Double { Double(vocabularySize) * d }

    /// Weights of a layer group that every pass reads in full: attention, dense FFN, router, shared expert.
    func alwaysUsedParameters(_ group: LayerGroup) -> Double {
        var total = group.attention.parameters(hidden: hiddenSize) + 3 * d * Double(group.denseHidden)
        if let moe = group.mixture {
            total += d * Double(moe.experts) + 3 * d * Double(moe.sharedHidden)
        }
        return total
    }

    func expertParameters(_ moe: MixtureOfExperts) -> Double { 3 * d * Double(moe.expertHidden) }

    /// All weights, embeddings included.
    public var totalParameters: Double {
        layers.reduce(vocabularyMatrix * (tiedEmbeddings ? 1 : 2)) { sum, group in
            let experts = group.mixture.map { Double($0.experts) * expertParameters($0) } ?? 0
            return sum + Double(group.count) * (alwaysUsedParameters(group) + experts)
        }
    }

    /// Weights one token multiplies with (the LM head included, the embedding lookup not): 2 × this is its FLOPs.
    public var activeParametersPerToken: Double {
        layers.reduce(vocabularyMatrix) { sum, group in
            let experts = group.mixture.map { Double($0.activePerToken) * expertParameters($0) } ?? 0
            return sum + Double(group.count) * (alwaysUsedParameters(group) + experts)
        }
    }

    /// Weights a pass over `tokens` positions reads: the always-used ones once, per MoE layer the expected distinct
    /// experts, the LM head, and the embedding rows of the tokens (the whole table when it is the tied LM head).
    public func parametersTouched(tokens: Int) -> Double {
        let embeddingRows = tiedEmbeddings ? 0 : Double(min(tokens, vocabularySize)) * d
        return layers.reduce(vocabularyMatrix + embeddingRows) { sum, group in
            let experts = group.mixture.map { $0.expectedDistinctExperts(tokens: tokens) * expertParameters($0) } ?? 0
            return sum + Double(group.count) * (alwaysUsedParameters(group) + experts)
        }
    }

    /// KV-cache elements for one sequence of `tokens` positions (windowed layers keep only their window).
    public func cacheElements(tokens: Int) -> Double {
        layers.reduce(0) { sum, group in
            sum + Double(group.count) * Double(group.attention.attended(tokens)) * group.attention.cacheElementsPerToken
        }
    }
}

