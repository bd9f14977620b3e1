import DiffusionCore
import Foundation

/// What sampling one position costs on the CPU, per vocabulary entry: the work a runtime that samples on the host
/// does for every position whose logits it reads (llama.cpp's `llama-diffusion-cli` and `llama_sampler_*` chain copy
/// each logits row into an array of `llama_token_data` {id, logit, p} and run the chain on it:
/// https://github.com/ggml-org/llama.cpp/blob/master/examples/diffusion/diffusion-cli.cpp, `diffusion_generate`;
/// `src/llama-sampling.cpp`, `llama_sampler_softmax_impl`). An entropy-bound sampler (DiffusionGemma's) needs at least:
/// the candidate array, the temperature, the softmax, the entropy, one draw. The probe times exactly that, with one
/// scalar `expf` per entry as the C code calls it, so it is a lower bound of such a sampler (no top-k/top-p sort).
/// `dlab project` multiplies it by vocabulary × sampled positions (`host_sampling_ns_per_logit` in a hardware profile).
public enum HostSamplingProbe {
    /// One candidate as llama.cpp stores it (`llama_token_data`: 12 bytes).
    struct Candidate {
        var id: Int32
        var logit: Float
        var p: Float
    }

    /// Samples one row: candidates filled from `logits` at `temperature`, softmax, entropy (nats), and the token drawn
    /// by inverse CDF at `uniform` in [0, 1). `candidates` holds at least `logits.count` entries (reused across rows).
    static func sampleRow(_ logits: UnsafeBufferPointer<Float>, temperature: Float, uniform: Float,
                          candidates: UnsafeMutableBufferPointer<Candidate>) -> (token: Int, entropy: Float) {
        let count = logits.count
        guard count > 0, candidates.count >= count else { return (0, 0) }
        var maximum = -Float.infinity
        for i in 0 ..< count {
            let logit = logits[i] / temperature
            candidates[i] = Candidate(id: Int32(i), logit: logit, p: 0)
            maximum = max(maximum, logit)
        }
        // Entropy without a log per entry: H = log Z − Σ p·(x − max), with Z = Σ exp(x − max).
        var sum: Float = 0
        var weighted: Float = 0
        for i in 0 ..< count {
            let shifted = candidates[i].logit - maximum
            let p = expf(shifted)
            candidates[i].p = p
            sum += p
            weighted += p * shifted
        }
        for i in 0 ..< count { candidates[i].p /= sum }
        let entropy = logf(sum) - weighted / sum
        var cumulative: Float = 0
        var token = count - 1
        for i in 0 ..< count {
            cumulative += candidates[i].p
            if cumulative > uniform { token = i; break }
        }
        return (Int(candidates[token].id), entropy)
    }

    /// CPU seconds per vocabulary entry: the median over `repeats` runs of `rows` rows of `vocabulary` logits (random
    /// values from a fixed seed; 262,144 is the Gemma 4 / DiffusionGemma vocabulary).
    public static func measure(vocabulary: Int = 262_144, rows: Int = 16, repeats: Int = 5) -> Double {
        let vocabulary = max(vocabulary, 1), rows = max(rows, 1)
        var generator = SeededGenerator(seed: 0x5EED)
        let logits = (0 ..< vocabulary * rows).map { _ in Float(generator.nextOpenUnitDouble()) * 20 - 10 }
        let candidates = UnsafeMutableBufferPointer<Candidate>.allocate(capacity: vocabulary)
        defer { candidates.deallocate() }
        var checksum = 0
        // CPU time of this thread, not wall time: on a shared machine the probe states what sampling costs when it
        // has the core.
        var samples: [Double] = []
        logits.withUnsafeBufferPointer { all in
            for run in 0 ... max(repeats, 1) {
                let start = threadCPUSeconds()
                for row in 0 ..< rows {
                    let slice = UnsafeBufferPointer(rebasing: all[row * vocabulary ..< (row + 1) * vocabulary])
                    checksum &+= sampleRow(slice, temperature: 0.6, uniform: 0.5, candidates: candidates).token
                }
                if run > 0 { samples.append(threadCPUSeconds() - start) }  // run 0 warms caches and pages
            }
        }
        samples.sort()
        let seconds = samples[samples.count / 2]
        // The checksum keeps the work observable, so no compiler can drop it.
        if checksum == Int.min { print("") }
        return seconds / Double(vocabulary * rows)
    }

    /// CPU seconds the calling thread has used (CLOCK_THREAD_CPUTIME_ID).
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}
