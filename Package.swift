// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
        .executable(name: "kube-model-gen", targets: ["kube-model-gen"]),
        .library(name: "KubeModel", targets: ["KubeModel"]),
        .library(name: "KubeStore", targets: ["KubeStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
    ],
    targets: [
        // API types generated from the Kubernetes schema, plus hand-written apimachinery basics.
        .target(name: "KubeModel"),
        // The generator that writes Sources/KubeModel/Generated from api/openapi-v2-schema.json.
        .target(name: "KubeModelGenerator"),
        .executableTarget(name: "kube-model-gen", dependencies: ["KubeModelGenerator"]),
        // Revisioned, watchable key-value store with etcd v3 semantics (SQLite, in-memory).
        .target(
            name: "KubeStore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "skiff",
            dependencies: [
                "KubeModel", "KubeStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "KubeModelTests",
            dependencies: ["KubeModel", "KubeModelGenerator", .product(name: "Yams", package: "Yams")],
            exclude: ["Corpus"]
        ),
        .testTarget(name: "KubeStoreTests", dependencies: ["KubeStore"]),
    ]
)
