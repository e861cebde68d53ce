extension BlockLayout {
    /// A loop: its head, the body under it, and its end node under the body.
    ///
    /// The body's open end goes back to the head as a `next` edge: down a little, right to a channel
    /// ``DiagramMetrics/sideChannel`` beyond the wider of head and body, up, and left into the middle of the
    /// head's right side. A `done` edge leaves the middle of the head's left side, runs down the matching
    /// channel on the left and enters the end node from the left. Both labels sit outside their channels.
    init(head: BlockNode, body: BlockLayout?, end: BlockNode) {
        let (headWidth, headHeight) = DiagramMetrics.size(of: head)
        add(head, frame: DiagramRect(x: -headWidth / 2, y: 0, width: headWidth, height: headHeight))
        entry = head.key
        let middle = headHeight / 2
        var inner = (left: headWidth / 2, right: headWidth - headWidth / 2)
        var bottom = headHeight
        if let body {
            let top = headHeight + DiagramMetrics.verticalGap
            add(BlockEdge(from: head.key, to: body.entry, points: [.init(x: 0, y: headHeight), .init(x: 0, y: top)]))
            add(body, x: 0, y: top)
            inner = (max(inner.left, body.left), max(inner.right, body.right))
            bottom = top + body.height
        }
        let rightChannel = inner.right + DiagramMetrics.sideChannel
        let leftChannel = -inner.left - DiagramMetrics.sideChannel
        let endTop = bottom + DiagramMetrics.verticalGap
        let (endWidth, endHeight) = DiagramMetrics.size(of: end)

        if let exit = body?.exit {
            let turn = bottom + DiagramMetrics.verticalGap / 2
            add(
                BlockEdge(
                    from: exit, to: head.key,
                    points: [
                        .init(x: 0, y: bottom), .init(x: 0, y: turn), .init(x: rightChannel, y: turn),
                        .init(x: rightChannel, y: middle), .init(x: headWidth - headWidth / 2, y: middle),
                    ],
                    label: "next", style: .back,
                    labelPosition: DiagramPoint(x: rightChannel + 4, y: (middle + turn) / 2 + 4)
                )
            )
            right = max(right, rightChannel + 4 + DiagramMetrics.textWidth("next"))
        }
        add(
            BlockEdge(
                from: head.key, to: end.key,
                points: [
                    .init(x: -headWidth / 2, y: middle), .init(x: leftChannel, y: middle),
                    .init(x: leftChannel, y: endTop + endHeight / 2),
                    .init(x: -endWidth / 2, y: endTop + endHeight / 2),
                ],
                label: "done", labelPosition: DiagramPoint(x: leftChannel - 4, y: (middle + endTop) / 2 + 4),
                labelEndsAtPosition: true
            )
        )
        left = max(left, -leftChannel + 4 + DiagramMetrics.textWidth("done"))
        add(end, frame: DiagramRect(x: -endWidth / 2, y: endTop, width: endWidth, height: endHeight))
        height = endTop + endHeight
        exit = end.key
    }
}
