extension BlockLayout {
    /// A split, its branches in columns side by side, and a join.
    ///
    /// From the top: the split node; a ``DiagramMetrics/band`` in which the edges fan out of the split's bottom
    /// centre (or drop straight from a fork bar) to the top of each column; in each column a zone holding the
    /// edge's label beside its vertical end, then the branch; a band in which each open branch's edge, carried
    /// down its column to the bottom of the deepest branch, fans into the join's top centre (or drops onto a
    /// join bar). A branch without steps is an edge from split to join down its column. Columns are in branch
    /// order and as wide as their branch and label, so fanning edges keep their order and never cross. When
    /// every branch ends at an `exit` there is no join and the block has no exit. No branches at all are drawn
    /// as one without steps.
    init(split: BlockNode, branches: [DiagramBranch], join: BlockNode, trunk: Int?) {
        let branches = branches.isEmpty ? [DiagramBranch()] : branches
        let blocks = branches.map { $0.block.map(BlockLayout.init) }
        let (columns, reach) = Self.columns(for: branches, blocks: blocks, trunk: trunk)
        left = -reach.lowerBound
        right = reach.upperBound
        let bars = split.kind == .fork
        let labelZone = branches.contains { $0.label != nil } ? DiagramMetrics.labelZone : 0

        let splitFrame = Self.frame(of: split, bar: bars, spanning: columns)
        add(split, frame: splitFrame)
        entry = split.key
        let fanTop = splitFrame.height
        let columnTop = fanTop + DiagramMetrics.band
        let branchTop = columnTop + labelZone
        for (block, x) in zip(blocks, columns) {
            if let block { add(block, x: x, y: branchTop) }
        }
        let contentBottom = blocks.map { branchTop + ($0?.height ?? 0) }.max() ?? branchTop

        let open = blocks.contains { $0 == nil || $0?.exit != nil }
        let joinTop = contentBottom + DiagramMetrics.band
        let joinFrame = Self.frame(of: join, bar: bars, spanning: columns, top: joinTop)
        // Where the edges of the column at `x` meet the split and the join: a bar right above or below the
        // column, a node at its centre.
        let meetingX = { (x: Int) in bars ? x : 0 }
        for ((branch, block), x) in zip(zip(branches, blocks), columns) {
            var edge = BlockEdge(
                from: split.key, to: block?.entry ?? join.key,
                points: [.init(x: meetingX(x), y: fanTop), .init(x: x, y: columnTop), .init(x: x, y: branchTop)],
                label: branch.label, style: branch.style,
                labelPosition: branch.label.map { _ in DiagramPoint(x: x + 6, y: columnTop + 15) }
            )
            if let block {
                add(edge)
                guard let exit = block.exit else { continue }
                let bottom = branchTop + block.height
                let points: [DiagramPoint] = [
                    .init(x: x, y: bottom), .init(x: x, y: contentBottom), .init(x: meetingX(x), y: joinTop),
                ]
                add(BlockEdge(from: exit, to: join.key, points: points))
            } else {
                edge.points += [.init(x: x, y: contentBottom), .init(x: meetingX(x), y: joinTop)]
                add(edge)
            }
        }
        if open {
            add(join, frame: joinFrame)
            height = joinTop + joinFrame.height
            exit = join.key
        } else {
            height = contentBottom
        }
    }

    /// The axis of each branch's column, relative to the block's axis (the trunk's column on the axis, or
    /// the columns centred under it), and how far the columns reach to either side.
    private static func columns(
        for branches: [DiagramBranch], blocks: [BlockLayout?], trunk: Int?
    ) -> (axes: [Int], reach: ClosedRange<Int>) {
        var axes: [Int] = []
        var cursor = 0
        for (branch, block) in zip(branches, blocks) {
            let labelWidth =
                branch.label.map {
                    12
                        + DiagramMetrics.textWidth(
                            DiagramMetrics.displayed($0, limit: DiagramMetrics.maximumEdgeLabelLength))
                } ?? 0
            let left = max(block?.left ?? 0, 8)
            let right = max(block?.right ?? 0, labelWidth, 8)
            if !axes.isEmpty { cursor += DiagramMetrics.columnGap }
            axes.append(cursor + left)
            cursor += left + right
        }
        let axis = trunk.map { axes[$0] } ?? cursor / 2
        return (axes.map { $0 - axis }, -axis...(cursor - axis))
    }

    /// The box of a split or join: a bar across every column (and the axis), or the node's own size
    /// centred on the axis.
    private static func frame(of node: BlockNode, bar: Bool, spanning columns: [Int], top: Int = 0) -> DiagramRect {
        let (width, height) = DiagramMetrics.size(of: node)
        guard bar else { return DiagramRect(x: -width / 2, y: top, width: width, height: height) }
        let low = min(columns.min() ?? 0, -width / 2 + DiagramMetrics.barOverhang) - DiagramMetrics.barOverhang
        let high = max(columns.max() ?? 0, width / 2 - DiagramMetrics.barOverhang) + DiagramMetrics.barOverhang
        return DiagramRect(x: low, y: top, width: high - low, height: height)
    }
}
