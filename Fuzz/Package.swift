// swift-tools-version:6.2
import PackageDescription

// libFuzzer targets for FlowLang's parsers of outside input, apart from the main package so its build and tests are
// unchanged. Built by scripts/fuzz.sh with `-sanitize=fuzzer,address`; each target is one file whose
// `LLVMFuzzerTestOneInput` libFuzzer calls, started from its `@main` through FuzzSupport.
let package = Package(
    name: "FlowLangFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "FlowLang", path: ".."),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        .executableTarget(name: "FuzzFlowLoader", dependencies: ["FuzzSupport", .product(name: "FlowCore", package: "FlowLang")]),
        .executableTarget(
            name: "FuzzCondition",
            dependencies: [
                "FuzzSupport",
                .product(name: "FlowCore", package: "FlowLang"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(
            name: "FuzzExecuteBody",
            dependencies: [
                "FuzzSupport",
                .product(name: "FlowCore", package: "FlowLang"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
        .executableTarget(name: "FuzzCron", dependencies: ["FuzzSupport", .product(name: "FlowServer", package: "FlowLang")]),
        .executableTarget(name: "FuzzDotEnv", dependencies: ["FuzzSupport", .product(name: "FlowServer", package: "FlowLang")]),
        .executableTarget(
            name: "FuzzQuery",
            dependencies: [
                "FuzzSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "OrderedCollections", package: "swift-collections"),
            ]
        ),
    ]
)
