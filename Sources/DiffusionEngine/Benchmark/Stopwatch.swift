import COpenBLAS
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Timing helpers for benchmarks: medians of repeated runs on a monotonic clock.
public enum Stopwatch {
    /// When set, `seconds` and `median` count the CPU time of the calling thread instead of wall time: on a machine
    /// shared with other jobs that time is far steadier (it leaves out the time the thread waits for a core). Only
    /// meaningful when all the work runs on the calling thread (one OpenBLAS thread, no Dispatch workers).
    nonisolated(unsafe) public static var countsThreadCPUTime = false

    /// Seconds taken by `body`.
    public static func seconds(_ body: () throws -> Void) rethrows -> Double {
        if countsThreadCPUTime {
            let start = threadCPUSeconds()
            try body()
            return threadCPUSeconds() - start
        }
        let clock = ContinuousClock()
        let elapsed = try clock.measure(body)
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    }

    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// The value of `body` and the seconds it took.
    public static func measure<T>(_ body: () throws -> T) rethrows -> (value: T, seconds: Double) {
        let start = ContinuousClock.now
        let value = try body()
        let elapsed = ContinuousClock.now - start
        return (value, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    /// Median seconds of `repeats` runs of `body` after `warmup` unmeasured runs.
    public static func median(repeats: Int, warmup: Int = 1, _ body: () throws -> Void) rethrows -> Double {
        for _ in 0 ..< warmup { try body() }
        var samples: [Double] = []
        for _ in 0 ..< max(repeats, 1) { samples.append(try seconds(body)) }
        samples.sort()
        return samples[samples.count / 2]
    }

    /// The OpenBLAS sgemm rate (FLOP/s) on square n×n×n products: the peak that forward passes are compared to.
    public static func sgemmPeak(size n: Int = 1024, repeats: Int = 7) -> Double {
        let a = [Float](repeating: 0.5, count: n * n)
        let b = [Float](repeating: 0.25, count: n * n)
        var c = [Float](repeating: 0, count: n * n)
        let seconds = median(repeats: repeats) {
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(n), Int32(n), Int32(n),
                        1, a, Int32(n), b, Int32(n), 0, &c, Int32(n))
        }
        return 2 * Double(n * n * n) / seconds
    }
}
