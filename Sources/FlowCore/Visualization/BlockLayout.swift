/// Places a ``DiagramBlock`` in a box of its own, recursively: the layout of the SVG diagram.
///
/// The rules, which keep the drawing free of crossings and give the same picture for the same flow:
/// - Every block is centred on a vertical axis at x = 0 and starts at y = 0. It is entered at the top of its
///   first node on the axis and left at the bottom of its last node on the axis.
/// - A sequence stacks its blocks on the axis, ``DiagramMetrics/verticalGap`` apart; each edge between them
///   is a vertical line in the gap.
/// - Branches sit side by side below their split, in order, each in a column of its own; their edges fan out
///   of the split in a band no node enters, run down their column past the edge's label, and fan back into
///   the join under the deepest branch (see `BlockLayout+Branches.swift`).
/// - A loop's back edge runs up its right side and its `done` edge down its left side, outside its body
///   (see `BlockLayout+Loop.swift`).
///
/// Boxes never overlap, and every edge stays inside the box of the block that draws it, between boxes it does
/// not enter.
struct BlockLayout: Sendable {
    /// The nodes with their boxes, in drawing order.
    var nodes: [PlacedNode] = []
    var edges: [BlockEdge] = []
    /// How far the block reaches left of its axis.
    var left = 0
    /// How far the block reaches right of its axis.
    var right = 0
    var height = 0
    /// The key of the node the block is entered at.
    var entry = ""
    /// The key of the node the block is left at; nil when every path through it ends at an `exit`.
    var exit: String?

    /// A node with its box.
    struct PlacedNode: Sendable {
        let node: BlockNode
        var frame: DiagramRect
    }

    init(_ block: DiagramBlock) {
        switch block {
        case .node(let node): self.init(node: node)
        case .sequence(let blocks): self.init(sequence: blocks.map(BlockLayout.init))
        case .branches(let split, let branches, let join, let trunk):
            self.init(split: split, branches: branches, join: join, trunk: trunk)
        case .loop(let head, let body, let end): self.init(head: head, body: body.map(BlockLayout.init), end: end)
        }
    }

    init() {}

    /// One node, its top centre at the origin.
    init(node: BlockNode) {
        let (width, height) = DiagramMetrics.size(of: node)
        nodes = [PlacedNode(node: node, frame: DiagramRect(x: -width / 2, y: 0, width: width, height: height))]
        left = width / 2
        right = width - width / 2
        self.height = height
        entry = node.key
        exit = node.kind == .exit ? nil : node.key
    }

    /// The blocks one under the other, each open end linked to the next block's entry.
    init(sequence blocks: [BlockLayout]) {
        var y = 0
        var previous: BlockLayout?
        for block in blocks {
            if let previous {
                y += DiagramMetrics.verticalGap
                if let exit = previous.exit {
                    add(
                        BlockEdge(
                            from: exit, to: block.entry,
                            points: [.init(x: 0, y: y - DiagramMetrics.verticalGap), .init(x: 0, y: y)]))
                }
            } else {
                entry = block.entry
            }
            add(block, x: 0, y: y)
            y += block.height
            previous = block
        }
        height = y
        exit = previous?.exit
    }

    /// Adds `block`'s nodes and edges with its axis at `x` and its top at `y`, widening this block to hold it.
    mutating func add(_ block: BlockLayout, x: Int, y: Int) {
        nodes += block.nodes.map { placed in
            var moved = placed
            moved.frame.x += x
            moved.frame.y += y
            return moved
        }
        edges += block.edges.map { edge in
            var moved = edge
            moved.points = edge.points.map { DiagramPoint(x: $0.x + x, y: $0.y + y) }
            moved.labelPosition = edge.labelPosition.map { DiagramPoint(x: $0.x + x, y: $0.y + y) }
            return moved
        }
        left = max(left, block.left - x)
        right = max(right, block.right + x)
    }

    /// Adds `node` with its box at `frame`, widening this block to hold it.
    mutating func add(_ node: BlockNode, frame: DiagramRect) {
        nodes.append(PlacedNode(node: node, frame: frame))
        left = max(left, -frame.x)
        right = max(right, frame.x + frame.width)
    }

    /// Adds `edge` with consecutive repeated points and points in the middle of a straight run left out.
    mutating func add(_ edge: BlockEdge) {
        var points: [DiagramPoint] = []
        for point in edge.points where points.last != point {
            if points.count >= 2, Self.isStraight(points[points.count - 2], points[points.count - 1], point) {
                points.removeLast()
            }
            points.append(point)
        }
        var simplified = edge
        simplified.points = points
        edges.append(simplified)
    }

    /// Whether `b` lies on the horizontal or vertical line from `a` to `c`, between them.
    private static func isStraight(_ a: DiagramPoint, _ b: DiagramPoint, _ c: DiagramPoint) -> Bool {
        (a.x == b.x && b.x == c.x && (a.y - b.y) * (b.y - c.y) >= 0)
            || (a.y == b.y && b.y == c.y && (a.x - b.x) * (b.x - c.x) >= 0)
    }
}
