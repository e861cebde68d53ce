// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "FlowLang",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FlowCore", targets: ["FlowCore"]),
        .library(name: "FlowTesting", targets: ["FlowTesting"]),
        .library(name: "FlowConnections", targets: ["FlowConnections"]),
        .library(name: "FlowServer", targets: ["FlowServer"]),
        .library(name: "FlowServerCommand", targets: ["FlowServerCommand"]),
        .library(name: "FlowClient", targets: ["FlowClient"]),
        .executable(name: "flowlang", targets: ["flowlang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.36.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
    ],
    targets: [
        .target(
            name: "FlowCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .target(
            name: "FlowTesting",
            dependencies: ["FlowCore"]
        ),
        .target(
            name: "FlowScaffold",
            dependencies: [
                "FlowCore",
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "FlowServer",
            dependencies: [
                "FlowCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                // NIOThreadPool: file reads and hashes off the cooperative pool (FlowReloader).
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ],
            // The console's hand-written sources; the generated Swift beside them is what compiles
            // (scripts/generate-console-assets.sh).
            exclude: ["Console/Assets"]
        ),
        // The HTTP client for FlowLang servers: AsyncHTTPClient without Hummingbird or the engine's server side.
        .target(
            name: "FlowClient",
            dependencies: [
                "FlowCore",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "FlowOTel",
            dependencies: [
                .product(name: "OTel", package: "swift-otel"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        // Execution records in an SQLite file (GRDB), behind FlowServer's ExecutionStore.
        .target(
            name: "FlowSQLite",
            dependencies: [
                "FlowCore",
                "FlowServer",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // Execution records in PostgreSQL (PostgresNIO's pooled client, run as a service), behind FlowServer's
        // ExecutionStore; several server instances share one database.
        .target(
            name: "FlowPostgres",
            dependencies: [
                "FlowCore",
                "FlowServer",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Databases in flows: one pool per declared connection (GRDB for SQLite, PostgresNIO's client for
        // PostgreSQL), the built-in sqlite_*/pg_* tasks and typed accessors for custom tasks.
        .target(
            name: "FlowConnections",
            dependencies: [
                "FlowCore",
                "FlowPostgres",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // What every server program shares: its command-line settings, their resolution and the observability
        // bootstrap (with OTLP export); `flowlang serve` and each scaffolded package's server use it.
        .target(
            name: "FlowServerCommand",
            dependencies: [
                "FlowCore",
                "FlowServer",
                "FlowSQLite",
                "FlowPostgres",
                "FlowConnections",
                "FlowOTel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "FlowDevelopment",
            dependencies: [
                "FlowCore",
                "FlowScaffold",
                "FlowServer",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                // Every child process (builds, servers, doctor's probes) runs through Subprocess (Process/).
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .executableTarget(
            name: "flowlang",
            dependencies: [
                "FlowCore",
                "FlowServer",
                "FlowScaffold",
                "FlowDevelopment",
                "FlowServerCommand",
                "FlowConnections",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ]
        ),
        .executableTarget(
            name: "FlowBenchmark",
            dependencies: ["FlowCore"]
        ),
        // Executions of a flow doing one pg_query and one sqlite_query, on shared pools and connecting per execution.
        .executableTarget(
            name: "FlowDatabaseBenchmark",
            dependencies: [
                "FlowCore",
                "FlowConnections",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "FlowServerBenchmark",
            dependencies: [
                "FlowCore",
                "FlowServer",
                // The console over 100,000 stored executions (ConsoleBenchmark).
                "FlowSQLite",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "OrderedCollections", package: "swift-collections"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        .executableTarget(
            name: "FlowCrashTestServer",
            dependencies: [
                "FlowCore",
                "FlowServer",
                "FlowServerCommand",
                "FlowPostgres",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FlowCoreTests",
            dependencies: [
                "FlowCore",
                "FlowTesting",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FlowTestingTests",
            dependencies: ["FlowCore", "FlowTesting"]
        ),
        .testTarget(
            name: "FlowServerTests",
            dependencies: [
                "FlowServer",
                "FlowTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        // The execution stores: one conformance suite for memory, SQLite and PostgreSQL, and each store's own tests.
        // PostgreSQL's need a server, FLOWLANG_TEST_POSTGRES_URL (scripts/postgres-test-server.sh); skipped without.
        .testTarget(
            name: "ExecutionStoreTests",
            dependencies: [
                "FlowSQLite", "FlowPostgres", "FlowServer", "FlowCore", "FlowTesting", "FlowClient",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        // The database tasks and pools against a real SQLite file and, with FLOWLANG_TEST_POSTGRES_URL, a real PostgreSQL.
        .testTarget(
            name: "FlowConnectionsTests",
            dependencies: [
                "FlowConnections", "FlowCore", "FlowTesting", "FlowServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .testTarget(
            name: "FlowScaffoldTests",
            dependencies: ["FlowScaffold", "FlowDevelopment", "FlowCore", .product(name: "Yams", package: "Yams")],
            resources: [.copy("Golden")]
        ),
        .testTarget(
            name: "FlowDevelopmentTests",
            dependencies: [
                "FlowDevelopment", "FlowScaffold", "FlowCore", "FlowTesting", "FlowServer",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "FlowClientTests",
            dependencies: [
                "FlowClient", "FlowCore", "FlowServer", "FlowTesting",
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "FlowLangCLITests",
            dependencies: [
                "flowlang", "FlowDevelopment", "FlowServerCommand", "FlowServer", "FlowSQLite", "FlowPostgres",
                "FlowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

for target in package.targets {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
