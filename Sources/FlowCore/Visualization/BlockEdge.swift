/// One edge of the block diagram, between the nodes named by their keys.
struct BlockEdge: Sendable, Equatable {
    /// How an edge is drawn.
    enum Style: String, Sendable {
        /// The normal flow of control.
        case solid
        /// Into an `on_error` handler.
        case dashed
        /// A loop's way back to its head.
        case back
    }

    let from: String
    let to: String
    /// The polyline from a point on `from`'s boundary to a point on `to`'s boundary.
    var points: [DiagramPoint]
    var label: String?
    var style: Style = .solid
    /// Where the label's text starts (or, with `labelEndsAtPosition`, ends), on its baseline.
    var labelPosition: DiagramPoint?
    /// Whether the label's text ends at `labelPosition` rather than starting there.
    var labelEndsAtPosition = false
}
