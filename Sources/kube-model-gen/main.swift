import Foundation
import KubeModelGenerator

// Regenerates Sources/KubeModel/Generated from api/openapi-v2-schema.json.
// Usage: swift run kube-model-gen [SCHEMA [OUTPUT_DIR]]  (run from the package root)
let args = CommandLine.arguments.dropFirst()
let schemaPath = args.first ?? "api/openapi-v2-schema.json"
let outputPath = args.dropFirst().first ?? "Sources/KubeModel/Generated"
do {
    let data = try Data(contentsOf: URL(fileURLWithPath: schemaPath))
    let count = try ModelGenerator(schemaJSON: data).write(to: URL(fileURLWithPath: outputPath, isDirectory: true))
    print("kube-model-gen: wrote \(count) files to \(outputPath)")
} catch {
    FileHandle.standardError.write(Data("kube-model-gen: \(error)\n".utf8))
    exit(1)
}
