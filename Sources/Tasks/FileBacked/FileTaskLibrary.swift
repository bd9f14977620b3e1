import Foundation

/// Where file-backed task definitions are found: the YAML files of a folder (`Experiments/tasks/` by default),
/// each named by its file name without `.yaml`, or any definition named by its path.
public struct FileTaskLibrary: Sendable {
    public var folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// `Experiments/tasks` under the current directory, or `DLAB_TASKS` when set.
    public static var standard: FileTaskLibrary {
        if let path = ProcessInfo.processInfo.environment["DLAB_TASKS"], !path.isEmpty {
            return FileTaskLibrary(folder: URL(fileURLWithPath: path))
        }
        return FileTaskLibrary(folder: URL(fileURLWithPath: "Experiments/tasks"))
    }

    /// The definition files of the folder, sorted by name (none when the folder does not exist).
    public var definitionFiles: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    public var names: [String] { definitionFiles.map { $0.deletingPathExtension().lastPathComponent } }

    /// The definition file a name or path refers to: a path (it contains `/` or ends in `.yaml`), resolved against
    /// `base`, or a name in the folder. nil when neither exists.
    public func definitionFile(for reference: String, relativeTo base: URL? = nil) -> URL? {
        if reference.contains("/") || reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") {
            let url = URL(fileURLWithPath: reference, relativeTo: base).standardizedFileURL
            return FileManager.default.fileExists(atPath: url.path) ? url : nil
        }
        return definitionFiles.first { $0.deletingPathExtension().lastPathComponent == reference }
    }
}

extension TaskRegistry {
    /// A built-in task by name, else a file-backed task by name (in `library`) or by path.
    /// - Throws: `UnknownTaskError` listing built-in and file-backed names; the definition's or data's errors.
    public static func task(named name: String, library: FileTaskLibrary, relativeTo base: URL? = nil,
                            allowCodeExecution: Bool = false) throws -> any EvaluationTask {
        if let builtIn = all.first(where: { $0.name == name }) { return builtIn }
        guard let file = library.definitionFile(for: name, relativeTo: base) else {
            throw UnknownTaskError(name: name, known: names + library.names)
        }
        let definition = try TaskDefinition(contentsOf: file)
        // Results record the definition's name: a file found as NAME.yaml must also call itself NAME.
        guard definition.name == file.deletingPathExtension().lastPathComponent else {
            throw TaskDefinitionError(file: file.path, line: nil, key: "name",
                                      message: "the definition is named '\(definition.name)'; name it as its file, '\(file.deletingPathExtension().lastPathComponent)'")
        }
        return try FileBackedTask(definition: definition, allowCodeExecution: allowCodeExecution)
    }
}
