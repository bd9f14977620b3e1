import Foundation

/// What code produced a result: recorded in every row.
public enum SourceVersion {
    /// DiffusionLab's version.
    public static let diffusionLab = "0.1.0"

    /// The git commit of the working folder (`+dirty` when tracked files changed), or "unknown" outside a checkout.
    /// `DLAB_GIT_COMMIT` overrides it (for builds outside a checkout).
    public static func gitCommit() -> String {
        if let value = ProcessInfo.processInfo.environment["DLAB_GIT_COMMIT"], !value.isEmpty { return value }
        guard let head = git(["rev-parse", "HEAD"]), !head.isEmpty else { return "unknown" }
        let status = git(["status", "--porcelain", "--untracked-files=no"]) ?? ""
        return status.isEmpty ? head : head + "+dirty"
    }

    private static func git(_ arguments: [String]) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
