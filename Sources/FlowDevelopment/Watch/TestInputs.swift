package import FlowCore
import Foundation

/// The inputs watch mode runs a flow with: a JSON object in a file (`--test-inputs`, else `test_inputs.json`
/// beside the flow when it exists, else `{}`).
package struct TestInputs: Sendable, Equatable {
    /// The file, absolute; `nil` when none was given and there is no `test_inputs.json`.
    package var path: String?
    /// Whether the file was named explicitly, so that a missing file is an error rather than `{}`.
    package var isExplicit: Bool

    /// The default file name looked for beside the flow.
    package static let defaultFileName = "test_inputs.json"

    /// `explicit` (relative to the current directory) if given, else `<directory>/test_inputs.json`.
    package init(explicit: String?, directory: String) {
        if let explicit {
            path = URL(fileURLWithPath: explicit).standardizedFileURL.path
            isExplicit = true
        } else {
            path = (directory as NSString).appendingPathComponent(Self.defaultFileName)
            isExplicit = false
        }
    }

    /// Reads the inputs now: `{}` when no file was named and the default one is absent.
    package func load() throws(TestInputsError) -> FlowValue {
        guard let path else { return .emptyObject }
        guard FileManager.default.fileExists(atPath: path) else {
            if !isExplicit { return .emptyObject }
            throw TestInputsError("\(path): cannot read the test inputs file: no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TestInputsError("\(path): cannot read the test inputs file: permission denied or not a regular file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw TestInputsError("\(path): the test inputs file is not UTF-8 text")
        }
        let value: FlowValue
        do {
            value = try FlowValue(json: text)
        } catch {
            throw TestInputsError(
                "\(path):\(error.line):\(error.column): invalid JSON in the test inputs: \(error.message)")
        }
        guard case .object = value else {
            let kind = value.kindName
            let article = kind.first.map { "aeiou".contains($0) } == true ? "an" : "a"
            throw TestInputsError(
                "\(path): the test inputs must be a JSON object such as {\"name\": \"Alice\"}, not \(article) \(kind)"
            )
        }
        return value
    }
}

/// Test inputs that cannot be used; the message names the file (and the line and column for bad JSON).
package struct TestInputsError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package init(_ message: String) { self.message = message }
    package var description: String { message }
}
