// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "FlowLang",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "FlowCore", targets: ["FlowCore"]),
        .library(name: "FlowTesting", targets: ["FlowTesting"]),
        .executable(name: "flowlang", targets: ["flowlang"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        .target(
            name: "FlowCore",
            dependencies: [
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .target(
            name: "FlowTesting",
            dependencies: ["FlowCore"]
        ),
        .executableTarget(
            name: "flowlang",
            dependencies: [
                "FlowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "FlowBenchmark",
            dependencies: ["FlowCore"]
        ),
        .testTarget(
            name: "FlowCoreTests",
            dependencies: ["FlowCore", "FlowTesting"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "FlowTestingTests",
            dependencies: ["FlowCore", "FlowTesting"]
        ),
        .testTarget(
            name: "FlowLangCLITests",
            dependencies: ["flowlang"]
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
