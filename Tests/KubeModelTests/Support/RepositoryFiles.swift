import Foundation

/// Files of this repository, located from this source file.
enum RepositoryFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static var schema: URL { root.appendingPathComponent("api/openapi-v2-schema.json") }
    static var generatedModel: URL { root.appendingPathComponent("Sources/KubeModel/Generated") }
    static var corpus: URL { root.appendingPathComponent("Tests/KubeModelTests/Corpus") }
}
