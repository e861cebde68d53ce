import FlowCore
import FlowServer
import Hummingbird
import HummingbirdTesting
import Testing

/// Input `enum`, `minimum`, `maximum` and `pattern` over HTTP: a breach is a 422 in pydantic's shape naming the
/// input, and the flow's input schema in the OpenAPI document carries the same keywords.
@Suite(.timeLimit(.minutes(1)))
struct InputConstraintHTTPTests {
    static let flow = """
        flow: Ship
        inputs:
          - name: tier
            type: string
            required: true
            enum: [gold, silver]
          - name: quantity
            type: integer
            minimum: 1
            maximum: 10
          - name: sku
            type: string
            pattern: "^[A-Z]{3}$"
        steps:
          - task: Echo
            id: echo
            inputs: {tier: "${inputs.tier}"}
        outputs:
          - name: tier
            value: ${echo.tier}
        """

    /// Inputs breaking one rule and the 422 detail expected, which names the input in `loc`.
    static let breaches: [(inputs: FlowValue, detail: FlowValue)] = [
        (
            ["tier": "bronze"],
            [
                "type": "enum", "loc": ["body", "inputs", "tier"], "msg": "Input should be 'gold' or 'silver'",
                "input": "bronze", "ctx": ["expected": "'gold' or 'silver'"],
            ]
        ),
        (
            ["tier": "gold", "quantity": 0],
            [
                "type": "greater_than_equal", "loc": ["body", "inputs", "quantity"],
                "msg": "Input should be greater than or equal to 1", "input": 0, "ctx": ["ge": 1],
            ]
        ),
        (
            ["tier": "gold", "quantity": 11],
            [
                "type": "less_than_equal", "loc": ["body", "inputs", "quantity"],
                "msg": "Input should be less than or equal to 10", "input": 11, "ctx": ["le": 10],
            ]
        ),
        (
            ["tier": "gold", "sku": "ab"],
            [
                "type": "string_pattern_mismatch", "loc": ["body", "inputs", "sku"],
                "msg": "String should match pattern '^[A-Z]{3}$'", "input": "ab", "ctx": ["pattern": "^[A-Z]{3}$"],
            ]
        ),
    ]

    @Test(arguments: breaches)
    func brokenRuleIs422NamingTheInput(_ inputs: FlowValue, _ detail: FlowValue) async throws {
        try await TestFlowServer.single(Self.flow).test(.router) { client in
            let response = try await client.executeFlow("Ship", inputs: inputs)
            #expect(response.status == .unprocessableContent)
            #expect(try response.json() == ["detail": [detail]])
        }
    }

    @Test func valuesKeepingTheRulesExecute() async throws {
        try await TestFlowServer.single(Self.flow).test(.router) { client in
            let response = try await client.executeFlow(
                "Ship", inputs: ["tier": "silver", "quantity": "3", "sku": "ABC"])
            #expect(response.status == .ok)
            #expect(try response.json()["outputs"] == ["tier": "silver"])
        }
    }

    @Test func openAPIInputSchemaCarriesTheRules() async throws {
        try await TestFlowServer.single(Self.flow).test(.router) { client in
            let response = try await client.execute(uri: "/openapi.json", method: .get)
            let document = try FlowValue(json: String(buffer: response.body))
            let properties = try #require(document["components"]?["schemas"]?["ShipInputs"]?["properties"])
            #expect(properties["tier"]?["type"] == "string")
            #expect(properties["tier"]?["enum"] == ["gold", "silver"])
            let quantity = try #require(properties["quantity"]?["anyOf"]?.arrayValue)
            #expect(quantity.first == ["type": "integer", "minimum": 1, "maximum": 10])
            #expect(quantity.last == ["type": "null"])
            #expect(properties["sku"]?["anyOf"] == [["type": "string", "pattern": "^[A-Z]{3}$"], ["type": "null"]])
        }
    }
}
