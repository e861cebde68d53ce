import Foundation
import OrderedCollections
import Testing

/// One request to the original server and its recorded raw response (`/work/shared/reference/responses`).
struct RecordedExchange: Sendable, CustomTestStringConvertible {
    /// The `.http` file name, e.g. `hello_world_impl__GET_health.http`.
    var file: String
    /// The server setup the response was recorded against, e.g. `hello_world_impl`.
    var setup: String
    var method: String
    /// The request path with query, as recorded.
    var path: String
    /// The request body; empty when none was sent.
    var requestBody: String
    var status: Int
    /// Response headers, names lowercased.
    var headers: [String: String]
    var body: String

    /// The file name without the setup prefix: the same request across setups, e.g. `GET_health.http`.
    var request: String { String(file.dropFirst(setup.count + 2)) }

    /// The variant after the second `__`, e.g. `text_plain`.
    var variant: String? {
        let parts = request.replacingOccurrences(of: ".http", with: "").components(separatedBy: "__")
        return parts.count > 1 ? parts.last : nil
    }

    var contentType: String { headers["content-type"] ?? "" }

    var testDescription: String { "\(method) \(path) [\(request)]" }
}

/// The original server's recorded responses, read from the shared reference directory next to the package.
enum ReferenceResponses {
    /// `<package>/../shared/reference/responses`; this file is `<package>/Tests/FlowServerTests/Support/…`.
    static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent() // Support
        .deletingLastPathComponent() // FlowServerTests
        .deletingLastPathComponent() // Tests
        .deletingLastPathComponent() // the package
        .appendingPathComponent("../shared/reference/responses")
        .standardizedFileURL

    static var index: URL { directory.appendingPathComponent("index.tsv") }

    /// Whether the recordings (with their request index) are present.
    static var isAvailable: Bool { FileManager.default.fileExists(atPath: index.path) }

    static var unavailableReason: Comment {
        "reference responses not found at \(directory.path) (index.tsv is needed for the request bodies)"
    }

    /// The exchanges recorded for `setup`, in recording order; empty when the recordings are absent.
    static func exchanges(setup: String) -> [RecordedExchange] {
        guard let table = try? String(contentsOf: index, encoding: .utf8) else { return [] }
        var exchanges: [RecordedExchange] = []
        for line in table.split(separator: "\n", omittingEmptySubsequences: true).dropFirst() {
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard columns.count >= 6, columns[0].hasPrefix(setup + "__"), columns[0].hasSuffix(".http") else {
                continue
            }
            guard let response = try? Data(contentsOf: directory.appendingPathComponent(columns[0])) else { continue }
            let (status, headers, body) = parse(String(decoding: response, as: UTF8.self))
            exchanges.append(
                RecordedExchange(
                    file: columns[0],
                    setup: setup,
                    method: columns[1],
                    path: columns[2],
                    requestBody: columns.count > 6 ? columns[6...].joined(separator: "\t") : "",
                    status: status ?? Int(columns[3]) ?? 0,
                    headers: headers,
                    body: body
                )
            )
        }
        return exchanges
    }

    /// Splits a raw HTTP/1.1 response (CRLF head) into status, lowercased headers and body.
    static func parse(_ raw: String) -> (Int?, [String: String], String) {
        let separator = raw.range(of: "\r\n\r\n") ?? raw.range(of: "\n\n")
        let head = separator.map { String(raw[..<$0.lowerBound]) } ?? raw
        let body = separator.map { String(raw[$0.upperBound...]) } ?? ""
        let lines = head.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n")
        let status = lines.first.flatMap { line in line.split(separator: " ").dropFirst().first.flatMap { Int($0) } }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
        }
        return (status, headers, body)
    }
}
