// Only FlowClient is imported here: the documented example must compile and run with nothing else.
import FlowClient

/// What the example from docs/client.md prints, as values.
struct DocumentedOutput: Sendable {
    var executionId = ""
    var message: FlowValue = .null
    var eventTypes: [String] = []
    var failure: FlowClientError?
}

/// The example from docs/client.md, with each `print` replaced by recording what it would print.
func documentedUsage(port: Int) async throws -> DocumentedOutput {
    var printed = DocumentedOutput()
    let client = try FlowClient(baseURL: "http://127.0.0.1:\(port)", apiKey: nil)
    let result = try await client.execute(flow: "Greet", inputs: ["user_name": "Ada"])
    (printed.executionId, printed.message) = (result.executionId, result.outputs["message"] ?? .null)
    for try await event in client.stream(flow: "Greet", inputs: ["user_name": "Bo"]) {
        printed.eventTypes.append(event.type)
    }
    do {
        _ = try await client.execute(flow: "Greet", inputs: ["user_name": "fail"])
    } catch let error as FlowClientError {
        printed.failure = error
    }
    try await client.shutdown()
    return printed
}
