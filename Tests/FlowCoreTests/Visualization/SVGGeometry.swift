import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The geometry of an SVG image drawn by `SVGDiagram`, read back with `XMLParser`: each node's box (from the
/// first shape in its group) and each edge's polyline, with the data attributes that name them.
struct SVGGeometry {
    struct Node {
        var key: String
        var kind: String
        var stepId: String?
        var step: String?
        var box = Box(x: 0, y: 0, width: 0, height: 0)
        var title: String?
        var texts: [String] = []
    }

    struct Edge {
        var from: String
        var to: String
        var style: String
        var points: [Point] = []
        var label: String?
        var title: String?
        /// Where the label is written and whether it ends there (`text-anchor="end"`).
        var labelAnchor: (point: Point, ends: Bool)?

        /// The box the label's text takes: 11 px text is at most 7.5 px a character, 10 px above the baseline
        /// and 3 px below it.
        var labelBox: Box? {
            guard let label, let anchor = labelAnchor else { return nil }
            let width = Double(label.count) * 7.5
            return Box(
                x: anchor.ends ? anchor.point.x - width : anchor.point.x, y: anchor.point.y - 10, width: width,
                height: 13)
        }
    }

    struct Point: Equatable, CustomStringConvertible {
        var x: Double
        var y: Double
        var description: String { "(\(x), \(y))" }
    }

    struct Box: CustomStringConvertible {
        var x: Double
        var y: Double
        var width: Double
        var height: Double
        var description: String { "[\(x), \(y), \(width)×\(height)]" }

        /// Whether `other` lies inside this box.
        func contains(_ other: Box) -> Bool {
            other.x >= x && other.y >= y && other.x + other.width <= x + width && other.y + other.height <= y + height
        }

        /// Whether the two boxes share any interior point.
        func overlaps(_ other: Box) -> Bool {
            x < other.x + other.width && other.x < x + width && y < other.y + other.height && other.y < y + height
        }

        /// Whether `point` lies on the box's outline.
        func hasOnBoundary(_ point: Point) -> Bool {
            let withinX = point.x >= x && point.x <= x + width
            let withinY = point.y >= y && point.y <= y + height
            return (withinX && (point.y == y || point.y == y + height))
                || (withinY && (point.x == x || point.x == x + width))
        }

        /// Whether the segment from `a` to `b` passes through the box's interior.
        func isCrossed(from a: Point, to b: Point) -> Bool {
            var low = 0.0
            var high = 1.0
            for (start, delta, minimum, maximum) in [(a.x, b.x - a.x, x, x + width), (a.y, b.y - a.y, y, y + height)] {
                if delta == 0 {
                    if start <= minimum || start >= maximum { return false }
                    continue
                }
                let t1 = (minimum - start) / delta
                let t2 = (maximum - start) / delta
                low = max(low, min(t1, t2))
                high = min(high, max(t1, t2))
            }
            return low < high
        }
    }

    var nodes: [Node] = []
    var edges: [Edge] = []
    /// The text of the `<title>` right inside `<svg>`.
    var title: String?
    var width = 0.0
    var height = 0.0

    fileprivate init() {}

    /// Parses `svg`, recording a test issue (and returning what was read) when it is not well-formed XML.
    init(_ svg: String) {
        let reader = Reader()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        let parsed = parser.parse()
        #expect(parsed, "the SVG is not well-formed XML: \(parser.parserError.map { "\($0)" } ?? "?")")
        self = reader.geometry
    }

    func node(_ key: String) -> Node? {
        nodes.first { $0.key == key }
    }

    /// Whether the open segments `a1`–`a2` and `b1`–`b2` cross at a point inside both.
    static func cross(_ a1: Point, _ a2: Point, _ b1: Point, _ b2: Point) -> Bool {
        func orientation(_ p: Point, _ q: Point, _ r: Point) -> Double {
            (q.x - p.x) * (r.y - p.y) - (q.y - p.y) * (r.x - p.x)
        }
        let d1 = orientation(b1, b2, a1)
        let d2 = orientation(b1, b2, a2)
        let d3 = orientation(a1, a2, b1)
        let d4 = orientation(a1, a2, b2)
        return d1 * d2 < 0 && d3 * d4 < 0
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var geometry = SVGGeometry()
        var elements: [String] = []
        var text = ""
        /// The node or edge group the parser is in (they do not nest).
        var group: Group?
        /// Whether the current node group has had its first shape.
        var shaped = false

        enum Group { case node, edge }

        var isInNode: Bool { group == .node }
        var isInEdge: Bool { group == .edge }

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            let parent = elements.last
            elements.append(name)
            text = ""
            let number = { (key: String) in Double(attributes[key] ?? "") ?? .nan }
            switch name {
            case "svg":
                geometry.width = number("width")
                geometry.height = number("height")
            case "g" where attributes["class"]?.hasPrefix("node ") == true:
                let kind = String(attributes["class"]?.dropFirst("node ".count) ?? "")
                geometry.nodes.append(
                    Node(
                        key: attributes["data-node"] ?? "", kind: kind, stepId: attributes["data-step-id"],
                        step: attributes["data-step"])
                )
                group = .node
                shaped = false
            case "g" where attributes["class"]?.hasPrefix("edge ") == true:
                let style = String(attributes["class"]?.dropFirst("edge ".count) ?? "")
                geometry.edges.append(
                    Edge(from: attributes["data-from"] ?? "", to: attributes["data-to"] ?? "", style: style))
                group = .edge
            case "rect", "circle", "polygon":
                guard parent == "g", isInNode, !shaped else { break }
                shaped = true
                geometry.nodes[geometry.nodes.count - 1].box = Self.box(of: name, attributes, number)
            case "path" where parent == "g" && isInEdge:
                geometry.edges[geometry.edges.count - 1].points = Self.points(ofPath: attributes["d"] ?? "")
            case "text" where isInEdge:
                let point = Point(x: number("x"), y: number("y"))
                geometry.edges[geometry.edges.count - 1].labelAnchor = (point, attributes["text-anchor"] == "end")
            default:
                break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            text += string
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            elements.removeLast()
            let parent = elements.last
            switch name {
            case "title" where parent == "svg":
                geometry.title = text
            case "title" where isInNode:
                geometry.nodes[geometry.nodes.count - 1].title = text
            case "title" where isInEdge:
                geometry.edges[geometry.edges.count - 1].title = text
            case "text" where isInNode:
                geometry.nodes[geometry.nodes.count - 1].texts.append(text)
            case "text" where isInEdge:
                geometry.edges[geometry.edges.count - 1].label = text
            case "g":
                group = nil
            default:
                break
            }
        }

        static func box(of shape: String, _ attributes: [String: String], _ number: (String) -> Double) -> Box {
            switch shape {
            case "circle":
                let r = number("r")
                return Box(x: number("cx") - r, y: number("cy") - r, width: 2 * r, height: 2 * r)
            case "polygon":
                let points = (attributes["points"] ?? "").split(separator: " ").map { pair in
                    let xy = pair.split(separator: ",").compactMap { Double($0) }
                    return Point(x: xy.first ?? .nan, y: xy.last ?? .nan)
                }
                let xs = points.map(\.x)
                let ys = points.map(\.y)
                let minX = xs.min() ?? .nan
                let minY = ys.min() ?? .nan
                return Box(x: minX, y: minY, width: (xs.max() ?? .nan) - minX, height: (ys.max() ?? .nan) - minY)
            default:
                return Box(x: number("x"), y: number("y"), width: number("width"), height: number("height"))
            }
        }

        /// The points of a path made of `M x y` and `L x y` commands.
        static func points(ofPath d: String) -> [Point] {
            var points: [Point] = []
            var numbers: [Double] = []
            var current = ""
            func flush() {
                if let value = Double(current) { numbers.append(value) }
                current = ""
                if numbers.count == 2 {
                    points.append(Point(x: numbers[0], y: numbers[1]))
                    numbers = []
                }
            }
            for character in d {
                if character == "M" || character == "L" || character == " " {
                    flush()
                } else {
                    current.append(character)
                }
            }
            flush()
            return points
        }
    }
}
