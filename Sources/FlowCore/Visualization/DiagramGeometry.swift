/// A point of the drawing, in whole pixels.
struct DiagramPoint: Sendable, Equatable {
    var x: Int
    var y: Int
}

/// A node's box, in whole pixels.
struct DiagramRect: Sendable, Equatable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
}
