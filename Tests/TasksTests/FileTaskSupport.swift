import Foundation

@testable import Tasks

/// Shipped task definitions (Experiments/tasks) with the hand-written benchmark files of Fixtures/data, copied
/// into a fresh temporary folder so that a test may change either.
enum FileTaskSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let definitions = repository.appendingPathComponent("Experiments/tasks")

    static var fixtureData: URL {
        get throws {
            guard let url = Bundle.module.url(forResource: "data", withExtension: nil, subdirectory: "Fixtures") else {
                throw CocoaError(.fileNoSuchFile)
            }
            return url
        }
    }

    /// A temporary folder holding `name.yaml` (the shipped definition, or `yaml`) and `data/` from the fixtures.
    static func folder(_ name: String, yaml: String? = nil) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dlab-tasks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try fixtureData, to: folder.appendingPathComponent("data"))
        let definition = folder.appendingPathComponent("\(name).yaml")
        if let yaml {
            try Data(yaml.utf8).write(to: definition)
        } else {
            try FileManager.default.copyItem(at: definitions.appendingPathComponent("\(name).yaml"), to: definition)
        }
        return folder
    }

    static func task(_ name: String, yaml: String? = nil, allowCodeExecution: Bool = false) throws -> FileBackedTask {
        let folder = try folder(name, yaml: yaml)
        return try FileBackedTask(definition: TaskDefinition(contentsOf: folder.appendingPathComponent("\(name).yaml")),
                                  allowCodeExecution: allowCodeExecution)
    }
}
