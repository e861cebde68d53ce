/// Reading the step paths of events (`2.then.0`, `4[7].1`, `6.subflow.0`; see ``StepPath``) for the console:
/// which diagram node a step is drawn as, and which loop iteration or subflow call it sits in.
enum ConsoleStepPath {
    /// Where a path first goes into a loop iteration or a subflow's own steps.
    enum Boundary: Equatable {
        /// `loop[index].…`: a step of the `index`th iteration of the loop at `loop`.
        case iteration(loop: String, index: Int)
        /// `step.subflow.…` (or `step.subflow@2.…`): a step of the subflow called by the step at `step`.
        case subflow(step: String)
    }

    /// `path` with every iteration written `[*]`, as diagrams name the steps of a loop body (`4[*].1`).
    static func pattern(_ path: String) -> String {
        var result = ""
        var inBrackets = false
        for character in path {
            if character == "[" {
                inBrackets = true
                result += "[*]"
            } else if character == "]" {
                inBrackets = false
            } else if !inBrackets {
                result.append(character)
            }
        }
        return result
    }

    /// The first boundary in `path` after its first `offset` characters, and where the rest of the path (the
    /// place inside the iteration or the subflow) starts; nil when the step sits directly in that part.
    static func boundary(_ path: String, after offset: Int) -> (boundary: Boundary, rest: Int)? {
        let characters = Array(path)
        var index = offset
        while index < characters.count {
            if characters[index] == "[" {
                guard let close = characters[index...].firstIndex(of: "]"),
                    let iteration = Int(String(characters[(index + 1)..<close]))
                else { return nil }
                return (.iteration(loop: String(characters[..<index]), index: iteration), close + 2)
            }
            if characters[index] == ".", Self.startsSubflow(characters, at: index + 1) {
                let step = String(characters[..<index])
                let after = index + 1 + subflowSegment.count
                let rest = characters[after...].firstIndex(of: ".").map { $0 + 1 } ?? characters.count
                return (.subflow(step: step), rest)
            }
            index += 1
        }
        return nil
    }

    private static let subflowSegment = Array("subflow")

    /// Whether `subflow.` or `subflow@` starts at `index`.
    private static func startsSubflow(_ characters: [Character], at index: Int) -> Bool {
        let end = index + subflowSegment.count
        guard end < characters.count, Array(characters[index..<end]) == subflowSegment else { return false }
        return characters[end] == "." || characters[end] == "@"
    }
}
