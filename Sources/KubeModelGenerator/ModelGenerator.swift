import Foundation

/// Generates the KubeModel API types from the Kubernetes OpenAPI v2 schema.
public struct ModelGenerator {
    private let document: SchemaDocument

    public init(schemaJSON: Data) throws {
        document = try JSONDecoder().decode(SchemaDocument.self, from: schemaJSON)
    }

    /// Relative path under `Sources/KubeModel/Generated` → contents of every generated file.
    public func generate() throws -> [String: String] {
        let plan = try ModelPlanner(definitions: document.definitions).plan()
        let reserved: Set<String> = ["String", "Int32", "Int64", "Bool", "Double", "Array", "Dictionary",
                                     "Optional", "Box", "JSONValue", "Quantity", "IntOrString", "AnyCodingKey"]
        for t in plan.types where reserved.contains(t.name) { throw GeneratorError.nameCollision(t.qualifiedName) }
        var files = SwiftEmitter(plan: plan).files()
        let resources = try ResourcePlanner(paths: document.paths ?? [:], model: plan).plan()
        files["KubeResourceCatalog.swift"] = ResourceEmitter(plan: resources).file()
        return files
    }

    /// Writes the generated files into `directory`, removing stale `.swift` files there.
    public func write(to directory: URL) throws -> Int {
        let files = try generate()
        let fm = FileManager.default
        if let existing = fm.enumerator(at: directory, includingPropertiesForKeys: nil) {
            let wanted = Set(files.keys.map { directory.appendingPathComponent($0).standardizedFileURL.path })
            for case let url as URL in existing where url.pathExtension == "swift" && !wanted.contains(url.standardizedFileURL.path) {
                try fm.removeItem(at: url)
            }
        }
        for (path, contents) in files {
            let url = directory.appendingPathComponent(path)
            try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            if (try? String(contentsOf: url, encoding: .utf8)) != contents {
                try contents.write(to: url, atomically: true, encoding: .utf8)
            }
        }
        return files.count
    }
}
