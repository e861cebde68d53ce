/// A flow as nested blocks, the structure ``BlockLayout`` draws.
///
/// Every block is entered at the top of its first node and, unless every path through it ends at an `exit`,
/// left at the bottom of its last node. Blocks nest the way steps do, so a layout that places each block in
/// its own box never makes edges cross.
indirect enum DiagramBlock: Sendable {
    /// One node.
    case node(BlockNode)
    /// Blocks one under the other, each leading into the next.
    case sequence([DiagramBlock])
    /// A split node, its branches side by side, and a join node the open branches lead into. With `trunk`,
    /// that branch runs straight down under the split and the others sit at its right (a handler, a bypass).
    case branches(split: BlockNode, [DiagramBranch], join: BlockNode, trunk: Int?)
    /// A loop head, its body with a back edge up the right side, and a `done` edge down the left side into
    /// the end node.
    case loop(head: BlockNode, body: DiagramBlock?, end: BlockNode)
}

/// One branch of a ``DiagramBlock/branches(split:_:join:trunk:)`` block.
struct DiagramBranch: Sendable {
    /// The text on the edge into the branch (`true`, a case value, `error`).
    var label: String?
    /// How the edge into the branch is drawn.
    var style: BlockEdge.Style = .solid
    /// The branch's steps; nil for a branch with none, drawn as an edge straight from split to join.
    var block: DiagramBlock?
}
