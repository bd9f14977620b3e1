/// Activation buffers of one forward pass, grown on demand and reused across passes (a diffusion sampler calls
/// the model many times with the same length).
final class Workspace {
    private(set) var capacity = 0
    private var buffers: [UnsafeMutablePointer<Float>] = []
    private let sizes: (Int) -> [Int]

    /// `sizes(T)` gives the float count of each buffer for a sequence of T tokens.
    init(sizes: @escaping (Int) -> [Int]) {
        self.sizes = sizes
    }

    deinit { buffers.forEach { $0.deallocate() } }

    /// The buffers, large enough for `length` tokens.
    func buffers(for length: Int) -> [UnsafeMutablePointer<Float>] {
        if length > capacity {
            buffers.forEach { $0.deallocate() }
            buffers = sizes(length).map { count in
                let pointer = UnsafeMutablePointer<Float>.allocate(capacity: max(count, 1))
                pointer.initialize(repeating: 0, count: max(count, 1))
                return pointer
            }
            capacity = length
        }
        return buffers
    }
}
