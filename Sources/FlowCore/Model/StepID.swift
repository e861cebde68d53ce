/// The id of one step: its `id:` in the flow, or its task (or subflow) name when it has none, as events, the
/// journal, errors and task contexts name it.
public struct StepID: TextIdentifier {
    /// The id's text, e.g. `charge`.
    public let rawValue: String

    public init(rawValue: String) {
        self.rawValue = rawValue
    }
}
