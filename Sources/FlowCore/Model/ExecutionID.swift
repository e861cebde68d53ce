/// The id of one execution: the text a server gives a run, as its records, events, journal and routes name it.
/// Ids order by their text, as stores sort them (the tie-break of listings).
public struct ExecutionID: TextIdentifier {
    /// The id's text, e.g. a lowercase UUID.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
