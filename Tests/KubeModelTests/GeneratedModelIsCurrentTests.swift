import Foundation
import KubeModelGenerator
import Testing

/// The committed Sources/KubeModel/Generated must be exactly what the generator writes today.
@Test func generatedModelIsCurrent() throws {
    let schema = try Data(contentsOf: RepositoryFiles.schema)
    let expected = try ModelGenerator(schemaJSON: schema).generate()
    let dir = RepositoryFiles.generatedModel
    var onDisk = Set<String>()
    let enumerator = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
    while let url = enumerator?.nextObject() as? URL {
        guard url.pathExtension == "swift" else { continue }
        onDisk.insert(String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1)))
    }
    #expect(onDisk == Set(expected.keys), "stale or missing generated files: run `swift run kube-model-gen`")
    for (path, contents) in expected {
        let actual = try? String(contentsOf: dir.appendingPathComponent(path), encoding: .utf8)
        #expect(actual == contents, "\(path) is out of date: run `swift run kube-model-gen`")
    }
}
