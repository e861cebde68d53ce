/// A flow version's label: `v` followed by a number (`v1`, `v2`, `v10`), as in `/v2/flows/{flow}/execute`.
///
/// Versions order by number, so `v10` is later than `v9`.
public enum FlowVersion {
    /// The number in a label, or nil when `label` is not `v<number>`.
    public static func number(of label: some StringProtocol) -> Int? {
        guard label.first == "v", label.count > 1, label.dropFirst().allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(label.dropFirst())
    }

    /// Whether `label` names a version.
    public static func isLabel(_ label: some StringProtocol) -> Bool { number(of: label) != nil }

    /// Whether version `earlier` comes before `later`; an unversioned flow (nil) comes before every version.
    static func precedes(_ earlier: String?, _ later: String?) -> Bool {
        (earlier.flatMap { number(of: $0) } ?? -1) < (later.flatMap { number(of: $0) } ?? -1)
    }
}
