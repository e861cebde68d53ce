import Foundation

/// The one-file package `doctor` builds to prove `swift build` works: no dependencies, so it takes seconds.
enum BuildProbePackage {
    static let manifest = """
        // swift-tools-version:6.0
        import PackageDescription

        let package = Package(name: "FlowLangDoctorProbe", targets: [.executableTarget(name: "FlowLangDoctorProbe")])

        """

    static let source = """
        print("ok")

        """

    static func write(to directory: String) throws {
        let sources = (directory as NSString).appendingPathComponent("Sources/FlowLangDoctorProbe")
        try FileManager.default.createDirectory(atPath: sources, withIntermediateDirectories: true)
        try manifest.write(
            toFile: (directory as NSString).appendingPathComponent("Package.swift"), atomically: true, encoding: .utf8)
        try source.write(
            toFile: (sources as NSString).appendingPathComponent("main.swift"), atomically: true, encoding: .utf8)
    }
}
