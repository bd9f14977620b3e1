import CGnuplot
import Foundation

/// A gnuplot run that failed: the script had an error (gnuplot's own message), gnuplot could not be started, did
/// not finish in time, or exited 0 without writing the figure's files.
public struct GnuplotError: Error, CustomStringConvertible, Equatable {
    public enum Kind: Sendable, Equatable {
        case script
        case cannotRun
        case timeout
        case missingOutput
    }

    public let kind: Kind
    public let message: String
    /// The script file that failed, when there is one.
    public let script: String?

    public var description: String {
        let place = script.map { " in \($0)" } ?? ""
        switch kind {
        case .script: return "gnuplot reported an error\(place):\n\(message)"
        case .cannotRun: return "could not run gnuplot\(place): \(message)"
        case .timeout: return "gnuplot timed out\(place): \(message)"
        case .missingOutput: return "gnuplot exited without error\(place) but \(message)"
        }
    }
}

/// Runs gnuplot scripts through the `CGnuplot` bridge (gnuplot-iostream under an extern "C" interface).
public struct Gnuplot: Sendable {
    /// The gnuplot command line; `DLAB_GNUPLOT` overrides the default "gnuplot".
    public var command: String
    /// Seconds one script may run before gnuplot (its whole process group) is killed and the run is an error.
    public var timeout: Double

    public init(command: String? = nil, timeout: Double = 60) {
        self.command = command ?? ProcessInfo.processInfo.environment["DLAB_GNUPLOT"] ?? "gnuplot"
        self.timeout = timeout
    }

    /// Runs `script` with `directory` as gnuplot's working folder.
    /// - Returns: gnuplot's warnings (its stderr when it exited with status 0), possibly empty.
    /// - Throws: `GnuplotError` when gnuplot exits with an error status, cannot be started, or runs past `timeout`.
    @discardableResult
    public func run(_ script: String, in directory: URL, scriptName: String? = nil) throws -> String {
        var buffer = [CChar](repeating: 0, count: 16 * 1024)
        let code = buffer.withUnsafeMutableBufferPointer { message in
            dlab_gnuplot_run(command, directory.path, script, timeout, message.baseAddress, message.count)
        }
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        switch Int(code) {
        case Int(DLAB_GNUPLOT_OK): return message
        case Int(DLAB_GNUPLOT_SCRIPT_ERROR): throw GnuplotError(kind: .script, message: message, script: scriptName)
        case Int(DLAB_GNUPLOT_TIMEOUT): throw GnuplotError(kind: .timeout, message: message, script: scriptName)
        default: throw GnuplotError(kind: .cannotRun, message: message, script: scriptName)
        }
    }
}
