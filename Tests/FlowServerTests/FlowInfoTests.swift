import FlowCore
import FlowServer
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

/// `GET /flows` and `GET /flows/{flow}` (spec §4.4, §4.5): FlowInfo and the 404 envelope.
@Suite(.timeLimit(.minutes(1)))
struct FlowInfoTests {
    static let recordedFlowInfo = """
        {"name":"HelloWorld","description":"A simple greeting workflow demonstrating basic FlowLang features","inputs":[{"name":"user_name","type":"string","required":true,"description":"Name of the user to greet"}],"outputs":[{"name":"message","value":"${greet.greeting}","description":"The greeting message (if validation passed)"},{"name":"timestamp","value":"${greet.timestamp}","description":"When the greeting was generated"}]}
        """

    static let optionalInputsYAML = """
        flow: Options
        inputs:
          - name: name
            type: string
            required: true
          - name: count
            type: integer
            default: 3
            description: How many
          - name: note
        steps:
          - task: Echo
            id: echo
            inputs: {count: "${inputs.count}"}
        outputs:
          - name: count
            value: ${echo.count}
          - name: constant
            value: 42
        """

    static func app() throws -> some ApplicationProtocol {
        try TestFlowServer.single(HelloWorldFlow.yaml, registry: HelloWorldFlow.implemented)
    }

    @Test func flowsListsTheOneFlowWithTheRecordedFlowInfo() async throws {
        try await Self.app().test(.router) { client in
            let response = try await client.get("/flows")
            #expect(response.status == .ok)
            let body = try response.json()
            let recorded = try FlowValue(json: Self.recordedFlowInfo)
            #expect(body.arrayValue?.count == 1)
            #expect(JSONShape.differences(expected: [recorded], actual: body) == [])
            #expect(body[path: "0.name"] == "HelloWorld")
            #expect(body[path: "0.inputs"] == recorded["inputs"])
            #expect(body[path: "0.outputs"] == recorded["outputs"])
        }
    }

    @Test func oneFlowsInfoIsTheObjectNotAnArray() async throws {
        try await Self.app().test(.router) { client in
            let response = try await client.get("/flows/HelloWorld")
            #expect(response.status == .ok)
            let body = try response.json()
            let recorded = try FlowValue(json: Self.recordedFlowInfo)
            #expect(JSONShape.differences(expected: recorded, actual: body) == [])
            #expect(body["name"] == recorded["name"])
            #expect(body["description"] == recorded["description"])
            // The walkthrough's extras.
            #expect(body["tasks"] == 3)
            #expect(body["implementation_complete"] == true)
        }
    }

    @Test func flowInfoReportsRequiredFalseWhenAbsentAndRawOutputTemplates() async throws {
        let app = try TestFlowServer.single(Self.optionalInputsYAML)
        try await app.test(.router) { client in
            let body = try await client.get("/flows/Options").json()
            #expect(
                body[path: "inputs.0"] == ["name": "name", "type": "string", "required": true, "description": .null])
            #expect(body[path: "inputs.1.required"] == false)
            #expect(body[path: "inputs.1.description"] == "How many")
            #expect(body[path: "inputs.2.required"] == false)
            #expect(body[path: "inputs.2.description"] == .null)
            #expect(body[path: "inputs.2.type"]?.stringValue != nil)
            #expect(body[path: "outputs.0"] == ["name": "count", "value": "${echo.count}", "description": .null])
            #expect(body[path: "outputs.1.value"] == 42)
        }
    }

    @Test func unknownFlowIsA404EnvelopeNamingIt() async throws {
        try await Self.app().test(.router) { client in
            for path in [
                "/flows/NoSuchFlow", "/flows/helloworld", "/flows/NoSuchFlow/tasks", "/flows/NoSuchFlow/visualize",
                "/flows/NoSuchFlow/executions",
            ] {
                let response = try await client.get(path)
                #expect(response.status == .notFound, "\(path)")
                #expect(response.headers[.contentType] == "application/json")
                let name = path.split(separator: "/")[1]
                #expect(
                    response.text == #"{"success":false,"error":"Flow not found: \#(name)","status_code":404}"#,
                    "\(path)")
            }
        }
    }

    @Test func multiFlowServerListsEveryFlowAndItsNotFoundNamesTheAvailableOnes() async throws {
        let app = try TestFlowServer.multi(
            yamls: [HelloWorldFlow.yaml, Self.optionalInputsYAML], registry: HelloWorldFlow.implemented)
        try await app.test(.router) { client in
            let list = try await client.get("/flows").json()
            #expect(list.arrayValue?.compactMap { $0["name"]?.stringValue } == ["HelloWorld", "Options"])
            let one = try await client.get("/flows/Options")
            #expect(one.status == .ok)
            #expect(try one.json()["name"] == "Options")

            let missing = try await client.get("/flows/Nope")
            #expect(missing.status == .notFound)
            #expect(
                try missing.json()
                    == [
                        "success": false, "error": "Flow not found: Nope. Available flows: HelloWorld, Options",
                        "status_code": 404,
                    ]
            )
        }
    }
}
