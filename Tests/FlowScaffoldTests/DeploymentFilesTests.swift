import Foundation
import Testing

@testable import FlowScaffold

/// The Dockerfile, docker-compose.yml and Kubernetes manifest a scaffold writes, and the example's own.
struct DeploymentFilesTests {
    static let example = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Examples/OrderFulfillment")

    func generated(_ path: String, flowLang: FlowLangDependency = .path("/opt/FlowLang")) throws -> String {
        let flow = try ScaffoldFixtures.load(ScaffoldFixtures.shopFlow)
        let plan = Scaffolder.plan(
            flow: flow, source: ScaffoldFixtures.shopFlow, options: ScaffoldOptions(flowLang: flowLang))
        return try #require(plan.file(at: path)?.contents, "\(path) is not generated")
    }

    func example(_ path: String) throws -> String {
        try String(contentsOf: Self.example.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func scaffoldWritesAUsableDockerfileComposeFileAndManifest() throws {
        #expect(DeploymentFileChecks.dockerfile(try generated("Dockerfile")) == [])
        #expect(try DeploymentFileChecks.compose(try generated("docker-compose.yml")) == [])
        #expect(try DeploymentFileChecks.kubernetes(try generated("k8s/deployment.yaml")) == [])
        #expect(try generated("DEPLOYMENT.md").contains("kubectl patch service shop-order"))
    }

    @Test func exampleDeploymentFilesPassTheSameChecks() throws {
        #expect(DeploymentFileChecks.dockerfile(try example("Dockerfile")) == [])
        #expect(try DeploymentFileChecks.compose(try example("docker-compose.yml")) == [])
        #expect(try DeploymentFileChecks.kubernetes(try example("k8s/deployment.yaml")) == [])
        #expect(try example("DEPLOYMENT.md").contains("rollout undo"))
    }

    @Test func aLocalCheckoutIsPassedAsANamedBuildContextAndAGitURLNeedsNone() throws {
        let local = try generated("Dockerfile")
        #expect(local.contains("docker build --build-context flowlang=/opt/FlowLang -t shop-order ."))
        #expect(local.contains("COPY --from=flowlang Sources /opt/FlowLang/Sources"))
        #expect(try generated("docker-compose.yml").contains("additional_contexts:\n        flowlang: /opt/FlowLang"))

        let remote = FlowLangDependency.url("https://github.com/example/FlowLang.git", branch: "main")
        #expect(!(try generated("Dockerfile", flowLang: remote)).contains("--from=flowlang"))
        #expect(!(try generated("docker-compose.yml", flowLang: remote)).contains("additional_contexts"))
    }

    @Test func flowEnvironmentVariablesComeFromTheSecret() throws {
        let manifest = try generated("k8s/deployment.yaml")
        #expect(
            manifest.contains(
                "- name: DATABASE_URL\n              valueFrom:\n                secretKeyRef:\n                  name: shop-order-secrets\n                  key: database-url"
            ))
        #expect(DeploymentKubernetesTemplate.secretKey("PAYMENT_API_KEY") == "payment-api-key")
    }

    @Test func imageNamesAreLowercaseWithDashes() {
        #expect(DeploymentTemplate.imageName(ProjectLayout(flowName: "OrderFulfillment")) == "order-fulfillment")
        #expect(DeploymentTemplate.imageName(ProjectLayout(flowName: "echo-only")) == "echo-only")
        #expect(DeploymentTemplate.imageName(ProjectLayout(flowName: "HTTPFetch2")) == "httpfetch2")
    }
}
