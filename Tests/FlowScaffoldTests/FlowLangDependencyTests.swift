import Testing

@testable import FlowScaffold

/// Where a generated package finds FlowLang: relative paths for packages near the checkout.
@Suite struct FlowLangDependencyTests {
    @Test func packageInsideTheCheckoutNamesItRelatively() {
        let dependency = FlowLangDependency.path("/home/dev/FlowLang").relative(to: "/home/dev/FlowLang/Examples/Shop")
        #expect(dependency == .path("../.."))
    }

    @Test func packageBesideTheCheckoutNamesItRelatively() {
        let dependency = FlowLangDependency.path("/home/dev/FlowLang").relative(to: "/home/dev/flows/shop")
        #expect(dependency == .path("../../FlowLang"))
    }

    @Test func packageFarFromTheCheckoutKeepsTheAbsolutePath() {
        #expect(FlowLangDependency.path("/opt/FlowLang").relative(to: "/tmp/shop") == .path("/opt/FlowLang"))
        #expect(
            FlowLangDependency.path("/home/dev/FlowLang").relative(to: "/home/dev/a/b/c/d/shop")
                == .path("/home/dev/FlowLang")
        )
    }

    @Test func gitDependencyIsUnchanged() {
        let url = FlowLangDependency.url("https://github.com/example/FlowLang.git", branch: "main")
        #expect(url.relative(to: "/home/dev/shop") == url)
    }
}
