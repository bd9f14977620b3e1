import DiffusionCore

extension HFTokenizer {
    /// Token ids of a prompt as Hugging Face encodes it: with the special tokens the tokenizer adds around a
    /// text (`tokenizer(text)`, e.g. Gemma's `<bos>`), or, for a prompt rendered by a chat template, exactly as
    /// the template wrote it (transformers' `apply_chat_template(tokenize=True)` encodes with
    /// `add_special_tokens=False`, so a template that writes `{{ bos_token }}` gets that one `<bos>` and no
    /// second). Which tokens are added is tokenizer.json's post-processor alone: transformers 5 leaves it as is
    /// whatever `add_bos_token`/`add_eos_token` tokenizer_config.json sets (checked by the prompt-encoding
    /// fixtures, make_prompt_encoding_fixtures.py).
    public func encodePrompt(_ text: String, renderedByChatTemplate: Bool) throws -> [TokenID] {
        renderedByChatTemplate ? try encode(text) : try encodeWithSpecialTokens(text)
    }

    /// The BOS and EOS ids this tokenizer adds around a sequence, when its post-processor adds one token before
    /// and at most one after (what GGUF's `tokenizer.ggml.add_bos_token`/`add_eos_token` can say).
    var addedAroundSequence: (bos: TokenID?, eos: TokenID?) {
        guard case .wrap(let before, let after) = postProcessor else { return (nil, nil) }
        return (before.count == 1 ? before[0] : nil, after.count == 1 ? after[0] : nil)
    }
}
