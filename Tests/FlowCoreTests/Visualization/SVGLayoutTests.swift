import FlowCore
import Foundation
import Testing

/// The block layout checked on the geometry of the SVG it draws, for every example flow and for fixtures
/// with every step kind: boxes apart, edges from boundary to boundary of the nodes they name, no crossings,
/// one node per step.
@Suite("SVG block layout")
struct SVGLayoutTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Every `flow.yaml` under `Examples/` and every fixture in `Tests/FlowCoreTests/Fixtures/diagrams/`,
    /// relative to the package root.
    static let flowFiles: [String] = {
        let examples =
            FileManager.default.enumerator(atPath: packageRoot.appendingPathComponent("Examples").path)?
            .compactMap { $0 as? String }.filter { $0.hasSuffix("/flow.yaml") }.map { "Examples/" + $0 } ?? []
        let fixtures =
            (try? FileManager.default.contentsOfDirectory(atPath: fixturesDirectory.path))?
            .filter { $0.hasSuffix(".yaml") }.map { "Tests/FlowCoreTests/Fixtures/diagrams/" + $0 } ?? []
        return (examples + fixtures).sorted()
    }()

    static let fixturesDirectory = packageRoot.appendingPathComponent("Tests/FlowCoreTests/Fixtures/diagrams")

    static func load(_ file: String) throws -> FlowDefinition {
        try FlowLoader().load(contentsOf: packageRoot.appendingPathComponent(file).path)
    }

    @Test func theExamplesAndEveryStepKindAreCovered() {
        #expect(Self.flowFiles.contains("Examples/OrderFulfillment/flow.yaml"))
        #expect(Self.flowFiles.filter { $0.hasPrefix("Tests/") }.count == 3)
    }

    @Test(arguments: flowFiles) func noTwoNodeBoxesOverlap(file: String) throws {
        let geometry = SVGGeometry(SVGDiagram.render(try Self.load(file)))
        Self.expectNoOverlap(geometry)
    }

    @Test(arguments: flowFiles) func everyEdgeRunsFromTheBoundaryOfItsFromNodeToTheBoundaryOfItsToNode(file: String)
        throws
    {
        let geometry = SVGGeometry(SVGDiagram.render(try Self.load(file)))
        #expect(!geometry.edges.isEmpty)
        Self.expectEdgesJoinTheirNodes(geometry)
    }

    @Test(arguments: flowFiles) func edgesNeitherCrossEachOtherNorPassThroughNodes(file: String) throws {
        let geometry = SVGGeometry(SVGDiagram.render(try Self.load(file)))
        let segments = geometry.edges.enumerated().flatMap { index, edge in
            zip(edge.points, edge.points.dropFirst()).map { (edge: index, from: $0, to: $1) }
        }
        for (position, a) in segments.enumerated() {
            for b in segments[(position + 1)...] where a.edge != b.edge {
                #expect(
                    !SVGGeometry.cross(a.from, a.to, b.from, b.to),
                    "\(Self.describe(geometry.edges[a.edge])) crosses \(Self.describe(geometry.edges[b.edge]))"
                )
            }
            for node in geometry.nodes {
                #expect(
                    !node.box.isCrossed(from: a.from, to: a.to),
                    "\(Self.describe(geometry.edges[a.edge])) passes through \(node.key)")
            }
        }
    }

    @Test(arguments: flowFiles) func everyStepHasExactlyOneNodeWithItsPath(file: String) throws {
        let flow = try Self.load(file)
        let geometry = SVGGeometry(SVGDiagram.render(flow))
        Self.expectOneNodePerStep(flow, geometry)
    }

    @Test(arguments: flowFiles) func edgeLabelsStayClearOfNodesAndEverythingLiesInsideTheImage(file: String) throws {
        let geometry = SVGGeometry(SVGDiagram.render(try Self.load(file)))
        let image = SVGGeometry.Box(x: 0, y: 0, width: geometry.width, height: geometry.height)
        for node in geometry.nodes {
            #expect(image.contains(node.box), "\(node.key) \(node.box) lies outside the image")
        }
        for edge in geometry.edges {
            guard let label = edge.labelBox else { continue }
            #expect(image.contains(label), "the label of \(Self.describe(edge)) lies outside the image")
            for node in geometry.nodes {
                #expect(!label.overlaps(node.box), "the label of \(Self.describe(edge)) covers \(node.key)")
            }
        }
    }

    // MARK: - Checks shared with the other SVG tests

    static func expectNoOverlap(_ geometry: SVGGeometry) {
        let nodes = geometry.nodes.sorted { $0.box.y < $1.box.y }
        for (index, node) in nodes.enumerated() {
            for other in nodes[(index + 1)...] {
                if other.box.y >= node.box.y + node.box.height { break }
                #expect(!node.box.overlaps(other.box), "\(node.key) \(node.box) overlaps \(other.key) \(other.box)")
            }
        }
    }

    static func expectEdgesJoinTheirNodes(_ geometry: SVGGeometry) {
        let nodes = Dictionary(geometry.nodes.map { ($0.key, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(nodes.count == geometry.nodes.count, "data-node values are unique")
        for edge in geometry.edges {
            guard let from = nodes[edge.from], let to = nodes[edge.to], let first = edge.points.first,
                let last = edge.points.last
            else {
                Issue.record("\(describe(edge)) names a node that is not drawn, or has no points")
                continue
            }
            #expect(from.box.hasOnBoundary(first), "\(describe(edge)) starts at \(first), off \(from.key) \(from.box)")
            #expect(to.box.hasOnBoundary(last), "\(describe(edge)) ends at \(last), off \(to.key) \(to.box)")
        }
    }

    static func expectOneNodePerStep(_ flow: FlowDefinition, _ geometry: SVGGeometry) {
        let expected = stepPaths(flow.steps, list: "") + stepPaths(flow.onCancel, list: "on_cancel")
        let drawn = geometry.nodes.compactMap(\.stepId)
        #expect(drawn.sorted() == expected.sorted())
        #expect(Set(drawn).count == drawn.count, "no step path is drawn twice")
    }

    /// The path of every step in `steps`, the list at `list`, and below: a run's step paths, with `[*]` for any
    /// loop iteration.
    static func stepPaths(_ steps: [Step], list: String) -> [String] {
        steps.enumerated().flatMap { index, step in
            let here = list.isEmpty ? String(index) : "\(list).\(index)"
            return [here] + nestedPaths(step, path: here)
        }
    }

    static func nestedPaths(_ step: Step, path: String) -> [String] {
        switch step {
        case .task(let task): stepPaths(task.onError ?? [], list: path + ".on_error")
        case .subflow(let subflow): stepPaths(subflow.onError ?? [], list: path + ".on_error")
        case .conditional(let conditional):
            stepPaths(conditional.thenSteps, list: path + ".then")
                + stepPaths(conditional.elseSteps, list: path + ".else")
        case .switchCase(let switchStep):
            switchStep.cases.enumerated().flatMap { index, switchCase in
                stepPaths(switchCase.steps, list: "\(path).case\(index)")
            }
                + stepPaths(switchStep.defaultSteps ?? [], list: path + ".default")
        case .forEach(let loop): stepPaths(loop.steps, list: path + "[*]")
        case .parallel(let parallel):
            parallel.branches.enumerated().flatMap { index, branch in stepPaths(branch, list: "\(path).branch\(index)")
            }
        case .exit: []
        }
    }

    static func describe(_ edge: SVGGeometry.Edge) -> String {
        "edge \(edge.from) → \(edge.to) \(edge.points)"
    }
}
