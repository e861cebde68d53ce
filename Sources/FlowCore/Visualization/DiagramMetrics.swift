/// The sizes the block diagram is drawn with, in whole pixels.
///
/// Labels are set in a 12 px monospace font, so a line's width follows from its length: 7.5 px a character
/// covers the 0.6 em advance of common monospace fonts with room to spare.
enum DiagramMetrics {
    /// Lines of node labels longer than this are cut to this many characters, the last one "…".
    static let maximumLineLength = 32
    /// Edge labels longer than this are cut the same way.
    static let maximumEdgeLabelLength = 20
    /// Space between blocks stacked in a sequence.
    static let verticalGap = 28
    /// Space between branches side by side.
    static let columnGap = 24
    /// Height of the band between a split and its branches, and between the branches and their join.
    static let band = 20
    /// Height of the zone at the top of a branch that holds its edge label.
    static let labelZone = 22
    /// Distance from a loop's body to the edges running down its sides.
    static let sideChannel = 16
    /// Thickness of the fork and join bars of a parallel step.
    static let barThickness = 6
    /// How far a fork or join bar reaches past its outermost branches.
    static let barOverhang = 12
    /// The margin around the whole drawing.
    static let margin = 16
    /// Space between the flow and its `on_cancel` steps.
    static let cancelGap = 48

    /// The width `text` takes, rounded up to a whole pixel.
    static func textWidth(_ text: String) -> Int {
        (text.count * 15 + 1) / 2
    }

    /// `text` on one line (line breaks and tabs as spaces), cut to `limit` characters with a final "…".
    static func displayed(_ text: String, limit: Int = maximumLineLength) -> String {
        let line = String(text.map { $0.isNewline || $0 == "\t" ? " " : $0 })
        guard line.count > limit else { return line }
        return String(line.prefix(limit - 1)) + "…"
    }

    /// Whether drawing `lines` cuts any of them.
    static func isShortened(_ lines: [String]) -> Bool {
        lines.contains { $0.count > maximumLineLength || $0.contains(where: \.isNewline) }
    }

    /// The node's size; fork and join bars get their width from the branches they span.
    static func size(of node: BlockNode) -> (width: Int, height: Int) {
        let textWidth = node.lines.map { Self.textWidth(displayed($0)) }.max() ?? 0
        switch node.kind {
        case .start, .end: return (44, 44)
        case .merge: return (12, 12)
        case .fork, .join: return (40, barThickness)
        case .task, .exit, .cancel: return (even(max(96, textWidth + 24)), 36)
        case .subflow: return (even(max(96, textWidth + 40)), 36)
        case .inputs, .outputs: return (even(max(96, textWidth + 44)), 36)
        case .decision: return (even(max(96, textWidth + 48)), 36)
        case .loop: return (even(max(128, textWidth + 48)), 52)
        }
    }

    /// How far a hexagon's or parallelogram's slanted sides reach in from its box.
    static func slant(of kind: BlockNode.Kind) -> Int {
        kind == .inputs || kind == .outputs ? 10 : 12
    }

    private static func even(_ value: Int) -> Int {
        value + value % 2
    }
}
