import COpenBLAS
import Dispatch
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Matmuls with weights kept as stored (`StoredMatrix`): F32 weights at an aligned address go straight to
/// `cblas_sgemm`; any other type is expanded one panel of rows at a time into a per-thread F32 scratch, and each
/// panel is one sgemm into its block of output columns. So at most one panel per thread lives in F32, never a
/// whole matrix, and a weight's bytes are read once per pass in their stored width.
extension MatMul {
    /// F32 elements of one panel (4 MiB): a whole number of rows, at least one. Large enough that an sgemm per
    /// panel keeps OpenBLAS near its peak (re-packing the activations costs about 1/(2·panel rows) of the FLOPs),
    /// small enough to be noise beside the activations.
    public static let panelElements = 1 << 20

    /// Rows of `weight` per panel: `requested` (tests ask for small panels), else what fits `panelElements`.
    static func panelRows(_ weight: StoredMatrix, requested: Int? = nil) -> Int {
        max(1, min(weight.rows, requested ?? panelElements / max(weight.columns, 1)))
    }

    /// Dispatch workers that split one `linear` by output columns (1: one call). Set by `MatMul.setThreads`.
    nonisolated(unsafe) static var linearWorkers = 1

    /// Multiply-adds below which `linear` stays on one worker: the split's wake-up cost (tens of µs) would
    /// outweigh the work.
    static let splitThreshold = 1 << 21

    /// y = x · Wᵀ for a stored W [outer, inner]: x [rows, inner], y [rows, outer]; `accumulate` adds into y.
    /// Same F32 operands as `linearExpandingWhole` (expansion is bit-exact), panel by panel.
    ///
    /// With `linearThreads` > 1, a stored (non-F32) weight's panels are shared out in contiguous slabs of output
    /// columns, one per Dispatch worker (outside another parallel region, e.g. not inside an expert): each worker
    /// expands and multiplies its own panels with OpenBLAS at one thread. The calls are the same sgemms as on one
    /// worker, so the bits do not change (`WorkSplitTests`).
    public static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int,
        weight: StoredMatrix, outer: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false, panelRows requested: Int? = nil
    ) {
        precondition(weight.columns == inner && weight.rows == outer,
                     "MatMul.linear: weight [\(weight.rows), \(weight.columns)] for inner \(inner), outer \(outer)")
        guard rows > 0, outer > 0 else { return }
        // Only a stored type is split, in slabs of whole panels: every sgemm then has the shape it has in one call
        // (OpenBLAS rounds differently when a product is cut elsewhere, e.g. 16-column slabs of an F32 matrix), and
        // the expansion, which would otherwise run on one core beside OpenBLAS's threads, runs on every worker. An
        // in-place F32 weight is one sgemm on OpenBLAS's own threads.
        let split = !weight.isDirectF32 && rows * inner * outer >= splitThreshold
        let slabs = columnSlabs(outer: outer, unit: panelRows(weight, requested: requested), workers: split ? linearWorkers : 1)
        guard slabs.count > 1, !BLASThreads.insideRegion else {
            linear(x, rows: rows, inner: inner, weight: weight, outer: outer, columns: 0 ..< outer, into: y,
                   accumulate: accumulate, panelRows: requested)
            return
        }
        BLASThreads.single {
            DispatchQueue.concurrentPerform(iterations: slabs.count) { slab in
                linear(x, rows: rows, inner: inner, weight: weight, outer: outer, columns: slabs[slab], into: y,
                       accumulate: accumulate, panelRows: requested)
            }
        }
    }

    /// At most `workers` contiguous ranges covering 0 ..< outer, each a multiple of `unit` columns but the last.
    static func columnSlabs(outer: Int, unit: Int, workers: Int) -> [Range<Int>] {
        guard workers > 1 else { return [0 ..< outer] }
        let unit = max(unit, 1)
        let size = ((outer + workers - 1) / workers + unit - 1) / unit * unit
        return stride(from: 0, to: outer, by: size).map { $0 ..< min($0 + size, outer) }
    }

    /// y[:, columns] (+)= x · W[columns, :]ᵀ on the calling thread: one sgemm for in-place F32, else panel by panel.
    private static func linear(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int, weight: StoredMatrix, outer: Int, columns: Range<Int>,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool, panelRows requested: Int?
    ) {
        withExtendedLifetime(weight.storage) {
            if weight.isDirectF32 {
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(rows), Int32(columns.count), Int32(inner),
                    1, x, Int32(inner), weight.floatPointer + columns.lowerBound * inner, Int32(inner),
                    accumulate ? 1 : 0, y + columns.lowerBound, Int32(outer))
                return
            }
            let step = panelRows(weight, requested: requested)
            let panel = PanelScratch.current.reserve(step * inner)
            var first = columns.lowerBound
            while first < columns.upperBound {
                let count = min(step, columns.upperBound - first)
                weight.expand(rows: first ..< first + count, into: panel)
                // This panel's block of output columns: y[:, first ..< first + count], row stride `outer`.
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasTrans,
                    Int32(rows), Int32(count), Int32(inner),
                    1, x, Int32(inner), panel, Int32(inner),
                    accumulate ? 1 : 0, y + first, Int32(outer))
                first += count
            }
        }
    }

    /// Naive twin of the panel paths: the whole weight expanded to F32 first, then one sgemm.
    public static func linearExpandingWhole(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int,
        weight: StoredMatrix, outer: Int,
        into y: UnsafeMutablePointer<Float>, accumulate: Bool = false
    ) {
        let whole = weight.expanded
        whole.withUnsafeBufferPointer { w in
            linear(x, rows: rows, inner: inner, weight: w.baseAddress!, outer: outer, into: y, accumulate: accumulate)
        }
    }

    /// Naive twin of `product(_:rows:inner:by:columns:into:panelRows:)`: the whole weight expanded, then one sgemm.
    public static func productExpandingWhole(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int, by weight: StoredMatrix, columns: Int,
        into y: UnsafeMutablePointer<Float>
    ) {
        let whole = weight.expanded
        whole.withUnsafeBufferPointer { w in product(x, rows: rows, inner: inner, by: w.baseAddress!, columns: columns, into: y) }
    }

    /// y = x · W with W [inner, columns] stored (e.g. probabilities [C, V] times the embedding [V, d]): each panel
    /// of W's rows is one sgemm over the matching columns of x, accumulated into y. y is overwritten.
    public static func product(
        _ x: UnsafePointer<Float>, rows: Int, inner: Int, by weight: StoredMatrix, columns: Int,
        into y: UnsafeMutablePointer<Float>, panelRows requested: Int? = nil
    ) {
        precondition(weight.rows == inner && weight.columns == columns,
                     "MatMul.product: weight [\(weight.rows), \(weight.columns)] for inner \(inner), columns \(columns)")
        guard rows > 0, columns > 0 else { return }
        withExtendedLifetime(weight.storage) {
            if weight.isDirectF32 {
                product(x, rows: rows, inner: inner, by: weight.floatPointer, columns: columns, into: y)
                return
            }
            let step = panelRows(weight, requested: requested)
            let panel = PanelScratch.current.reserve(step * columns)
            var first = 0
            while first < inner {
                let count = min(step, inner - first)
                weight.expand(rows: first ..< first + count, into: panel)
                // y (+)= x[:, first ..< first + count] · panel [count, columns]
                cblas_sgemm(
                    CblasRowMajor, CblasNoTrans, CblasNoTrans,
                    Int32(rows), Int32(columns), Int32(count),
                    1, x + first, Int32(inner), panel, Int32(columns),
                    first == 0 ? 0 : 1, y, Int32(columns))
                first += count
            }
        }
    }
}

/// The F32 panel buffer of the calling thread, grown on demand and kept for the thread's lifetime (freed by the
/// thread-specific key's destructor), so every matmul on a thread reuses one buffer and threads never share one.
final class PanelScratch {
    private(set) var pointer: UnsafeMutablePointer<Float>
    private(set) var capacity: Int

    private init() {
        capacity = 0
        pointer = .allocate(capacity: 1)
    }

    deinit { pointer.deallocate() }

    /// The buffer, at least `count` floats long (its contents are not kept when it grows).
    func reserve(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity {
            pointer.deallocate()
            pointer = .allocate(capacity: count)
            capacity = count
        }
        return pointer
    }

    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        #if canImport(Glibc)
        pthread_key_create(&key) { owner in
            if let owner { Unmanaged<PanelScratch>.fromOpaque(owner).release() }
        }
        #else
        pthread_key_create(&key) { owner in Unmanaged<PanelScratch>.fromOpaque(owner).release() }
        #endif
        return key
    }()

    /// This thread's scratch.
    static var current: PanelScratch {
        if let owner = pthread_getspecific(key) { return Unmanaged<PanelScratch>.fromOpaque(owner).takeUnretainedValue() }
        let scratch = PanelScratch()
        pthread_setspecific(key, Unmanaged.passRetained(scratch).toOpaque())
        return scratch
    }
}
