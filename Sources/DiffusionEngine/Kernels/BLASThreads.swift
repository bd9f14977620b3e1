import COpenBLAS
import Foundation

/// The threads of one forward pass: OpenBLAS's own threads for the big matmuls, and as many Dispatch workers for
/// the parts that split into independent pieces (attention heads, experts), during which OpenBLAS runs one thread
/// per call: OpenBLAS 0.3.21 serialises concurrent multi-threaded calls behind one lock, so leaving its threads on
/// inside a parallel region would undo the parallelism.
public enum BLASThreads {
    private static let lock = NSLock()
    /// What `MatMul.setThreads` asked for (OpenBLAS's own default until then); restored when the last parallel
    /// region ends.
    nonisolated(unsafe) private(set) static var configured = Int(openblas_get_num_threads())
    nonisolated(unsafe) private static var regions = 0

    static func set(_ count: Int) {
        lock.lock()
        defer { lock.unlock() }
        configured = count
        if regions == 0 { openblas_set_num_threads(Int32(count)) }
    }

    /// Whether a parallel region is running (then a matmul stays on its calling worker instead of splitting again).
    static var insideRegion: Bool {
        lock.lock()
        defer { lock.unlock() }
        return regions > 0
    }

    /// Runs `body` with OpenBLAS at one thread per call (nested and concurrent regions are counted).
    static func single<Result>(_ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        if regions == 0, configured != 1 { openblas_set_num_threads(1) }
        regions += 1
        lock.unlock()
        defer {
            lock.lock()
            regions -= 1
            if regions == 0, configured != 1 { openblas_set_num_threads(Int32(configured)) }
            lock.unlock()
        }
        return try body()
    }
}
