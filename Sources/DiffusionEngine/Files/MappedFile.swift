import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A read-only memory map of a whole file. Weights are read in place from the map, never copied in bulk.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let size: Int
    public let bytes: UnsafeRawPointer

    public init(path: String) throws {
        self.path = path
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw ModelFileError(file: path, "cannot open (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            throw ModelFileError(file: path, "cannot stat (\(String(cString: strerror(errno))))")
        }
        size = Int(info.st_size)
        guard size > 0 else { throw ModelFileError(file: path, "file is empty") }
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), map != MAP_FAILED else {
            throw ModelFileError(file: path, "cannot map into memory (\(String(cString: strerror(errno))))")
        }
        bytes = UnsafeRawPointer(map)
    }

    deinit {
        munmap(UnsafeMutableRawPointer(mutating: bytes), size)
    }
}
