// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Skiff",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "skiff", targets: ["skiff"]),
        .executable(name: "kube-model-gen", targets: ["kube-model-gen"]),
        .library(name: "KubeModel", targets: ["KubeModel"]),
        .library(name: "KubeStore", targets: ["KubeStore"]),
        .library(name: "KubeStoreEtcd", targets: ["KubeStoreEtcd"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "KubePKI", targets: ["KubePKI"]),
        .library(name: "KubeScheduler", targets: ["KubeScheduler"]),
        .library(name: "KubeControllerManager", targets: ["KubeControllerManager"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-http2.git", from: "1.36.0"),
        .package(url: "https://github.com/apple/swift-asn1", from: "1.0.0"),
        // Without the swift-configuration integration (its default trait): one package fewer to build.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0", traits: ["FullFoundation"]),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        // API types generated from the Kubernetes schema, plus hand-written apimachinery basics.
        .target(name: "KubeModel"),
        // The generator that writes Sources/KubeModel/Generated from api/openapi-v2-schema.json.
        .target(name: "KubeModelGenerator"),
        .executableTarget(name: "kube-model-gen", dependencies: ["KubeModelGenerator"]),
        // The system SQLite library (libsqlite3-dev), used by KubeStore through its own thin wrapper.
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        // Revisioned, watchable key-value store with etcd v3 semantics (SQLite, in-memory).
        .target(
            name: "KubeStore",
            dependencies: [
                "CSQLite",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The system OpenSSL (libssl-dev): EC keys, ECDSA and digests for KubePKI, TLS for
        // OpenSSLTLS. Using it instead of swift-crypto and swift-nio-ssl keeps BoringSSL, which
        // both would compile from source, out of the build.
        .systemLibrary(name: "COpenSSL", pkgConfig: "libssl", providers: [.apt(["libssl-dev"])]),
        // Keys, X.509 certificates (parse, issue, verify) and digests: client-go's util/cert and keyutil.
        .target(
            name: "KubePKI",
            dependencies: ["COpenSSL", .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        // TLS on NIO channels over the system OpenSSL (client and server, ALPN, client certificates).
        .target(
            name: "OpenSSLTLS",
            dependencies: [
                "COpenSSL",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // The protobuf wire format: a reader and a writer (no code generation, no runtime library).
        .target(name: "ProtobufWire"),
        // client-go: REST client (kubeconfig, TLS, HTTP/2, retries, rate limits), typed resource
        // clients and watches, work queues, the informer cache.
        .target(
            name: "KubeClient",
            dependencies: [
                "KubeModel", "HTTP2Client",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                "OpenSSLTLS",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        // kube-scheduler: the scheduling framework (queue, cache, filter and score plugins,
        // preemption, binding) on KubeClient informers.
        .target(
            name: "KubeScheduler",
            dependencies: [
                "KubeModel", "KubeClient", "KubeComponentHelpers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What objects count against ResourceQuotas and pods' effective requests: shared by the
        // API server's quota admission and the resource quota controller.
        .target(name: "KubeQuota", dependencies: ["KubeModel"]),
        // Rules several components share (upstream's k8s.io/component-helpers): node selector
        // terms, and how a PersistentVolume matches a claim (PV controller and scheduler).
        .target(name: "KubeComponentHelpers", dependencies: ["KubeModel"]),
        // kube-controller-manager: the workload, garbage-collection, namespace, node and service
        // controllers on KubeClient informers and work queues.
        .target(
            name: "KubeControllerManager",
            dependencies: [
                "KubeModel", "KubeClient", "KubeQuota", "KubeComponentHelpers",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // kubemark: hollow nodes that act as kubelets toward the API (Leases, node status, pod
        // status) without running containers, thousands per process.
        .target(
            name: "Kubemark",
            dependencies: [
                "KubeModel", "KubeClient",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        // metrics-server: scrapes each Ready node's kubelet `/metrics/resource` and serves
        // `metrics.k8s.io/v1beta1` (NodeMetrics, PodMetrics) through the API server.
        .target(
            name: "KubeMetricsServer",
            dependencies: [
                "KubeModel", "KubeClient", "KubeAPIServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // One multiplexed HTTP/2 client connection (TCP with or without TLS, Unix domain sockets).
        .target(
            name: "HTTP2Client",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                "OpenSSLTLS",
            ]
        ),
        // A minimal gRPC client over HTTP2Client (etcd, containerd's CRI).
        .target(
            name: "GRPCTransport",
            dependencies: [
                "HTTP2Client",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
            ]
        ),
        // KeyValueStore over a real etcd's v3 gRPC API (benchmark peer, distributed store mode).
        // Messages/ is hand-written from the trimmed etcd protos in Protos/ (reference only).
        .target(
            name: "KubeStoreEtcd",
            dependencies: ["KubeStore", "ProtobufWire", "GRPCTransport"],
            exclude: ["Protos"]
        ),
        // The API server. PKI/: the cluster CA and the credentials `skiff server` creates on first start.
        .target(
            name: "KubeAPIServer",
            dependencies: [
                "KubeModel", "KubeStore", "ProtobufWire", "KubePKI", "KubeQuota", "KubeComponentHelpers", "HTTP2Client",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOCore", package: "swift-nio"),
                "OpenSSLTLS",
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "skiff",
            dependencies: [
                "KubeModel", "KubeStore", "KubeStoreEtcd", "KubeAPIServer", "KubeClient", "KubeScheduler", "KubeControllerManager", "Kubemark", "KubeMetricsServer",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                "OpenSSLTLS",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            // jemalloc (libjemalloc-dev) replaces glibc's malloc in every Skiff process: Swift
            // allocates small objects at a high rate from many threads, where glibc's arenas
            // cost 5–9 % of the server's and the scheduler's CPU (docs/performance.md).
            linkerSettings: [.linkedLibrary("jemalloc", .when(platforms: [.linux]))]
        ),
        .testTarget(
            name: "KubeModelTests",
            dependencies: ["KubeModel", "KubeModelGenerator", .product(name: "Yams", package: "Yams")],
            exclude: ["Corpus"]
        ),
        .testTarget(name: "KubeStoreTests", dependencies: ["KubeStore", "KubeStoreEtcd", "SkiffTestSupport"]),
        .testTarget(name: "KubeStoreEtcdTests", dependencies: ["KubeStore", "KubeStoreEtcd", "ProtobufWire"]),
        .testTarget(name: "ProtobufWireTests", dependencies: ["ProtobufWire"]),
        .testTarget(name: "KubeClientTests", dependencies: ["KubeClient", "KubeModel"]),
        .testTarget(name: "KubePKITests", dependencies: ["KubePKI"]),
        .testTarget(name: "KubeSchedulerTests", dependencies: ["KubeScheduler", "KubeModel", "KubeComponentHelpers"]),
        .testTarget(name: "KubeQuotaTests", dependencies: ["KubeQuota", "KubeModel"]),
        .testTarget(name: "KubeControllerManagerTests", dependencies: ["KubeControllerManager", "KubeClient", "KubeModel", "KubeQuota", "KubeComponentHelpers"]),
        .testTarget(name: "KubemarkTests", dependencies: ["Kubemark", "KubeModel"]),
        .testTarget(name: "KubeMetricsServerTests", dependencies: ["KubeMetricsServer", "Kubemark", "KubeAPIServer", "KubeClient", "KubeModel"]),
        .testTarget(
            name: "GRPCTransportTests",
            dependencies: [
                "GRPCTransport", "HTTP2Client",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOHPACK", package: "swift-nio-http2"),
                .product(name: "NIOHTTP2", package: "swift-nio-http2"),
            ]
        ),
        .testTarget(
            name: "KubeAPIServerTests",
            dependencies: [
                "KubeAPIServer", "ProtobufWire", "KubePKI", "OpenSSLTLS",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
            ]
        ),
        // End to end: runs the built `skiff server` and drives it with the stock kubectl.
        // Helpers shared by the test targets (locating built executables).
        .target(name: "SkiffTestSupport"),
        .testTarget(name: "SkiffE2ETests", dependencies: ["SkiffTestSupport", "KubeClient", "KubeModel"]),
    ]
)
