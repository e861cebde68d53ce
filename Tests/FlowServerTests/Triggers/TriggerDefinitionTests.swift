import FlowCore
import FlowServer
import Foundation
import HTTPTypes
import OrderedCollections
import Testing

@Suite struct TriggerDefinitionTests {
    static func triggers(_ yaml: String) throws -> [Result<TriggerDefinition, TriggerDefinitionError>] {
        let flow = try FlowLoader().load(
            yaml: """
                flow: Orders
                steps:
                  - task: Echo
                triggers:
                \(yaml)
                """
        )
        return TriggerDefinition.parseAll(flow.triggers, flowName: flow.name)
    }

    static func error(_ yaml: String) throws -> TriggerDefinitionError {
        let results = try triggers(yaml)
        guard case .failure(let error)? = results.first else {
            Issue.record("expected the trigger to be rejected")
            throw CancellationError()
        }
        return error
    }

    @Test func webhookWithEveryKey() throws {
        let results = try Self.triggers(
            """
              - type: webhook
                id: new_order
                path: webhooks/orders/
                method: put
                async: true
                input_mapping:
                  order_id: body.order.id
                  request_id: headers.X-Request-Id
                  page: query.page
                auth: {type: api_key, header: X-Secret, key: "k-${WEBHOOK_KEY}"}
            """
        )
        let definition = try results[0].get()
        #expect(definition.id == "new_order")
        #expect(definition.flowName == "Orders")
        #expect(definition.enabled)
        guard case .webhook(let webhook) = definition.kind else {
            Issue.record("not a webhook")
            return
        }
        #expect(webhook.path == "/webhooks/orders")
        #expect(webhook.method == .put)
        #expect(webhook.isAsync)
        guard case .inputs(let sources) = webhook.inputMapping else {
            Issue.record("not a field mapping")
            return
        }
        #expect(sources.keys.elements == ["order_id", "request_id", "page"])
        #expect(sources["order_id"]?.description == "body.order.id")
        #expect(sources["request_id"]?.description == "headers.x-request-id")
        guard case .apiKey(let header, let key)? = webhook.auth else {
            Issue.record("not api_key auth")
            return
        }
        #expect(header == "X-Secret")
        #expect(key.variables == ["WEBHOOK_KEY"])
        #expect(try key.resolve(in: ["WEBHOOK_KEY": "s3cret"]) == "k-s3cret")
    }

    @Test func webhookDefaultsAndGeneratedId() throws {
        let results = try Self.triggers(
            """
              - type: schedule
                cron: "@daily"
              - type: webhook
                path: /hooks/b
            """
        )
        let definition = try results[1].get()
        #expect(definition.id == "Orders_webhook_1")
        guard case .webhook(let webhook) = definition.kind else {
            Issue.record("not a webhook")
            return
        }
        #expect(webhook.method == .post)
        #expect(!webhook.isAsync)
        #expect(webhook.inputMapping == .body)
        #expect(webhook.auth == nil)
    }

    @Test func scheduleWithEveryKey() throws {
        let results = try Self.triggers(
            """
              - type: schedule
                id: nightly
                cron: "0 2 * * mon-fri"
                timezone: Europe/Berlin
                inputs: {report: daily, limit: 10}
                max_instances: 2
                enabled: false
            """
        )
        let definition = try results[0].get()
        #expect(definition.id == "nightly")
        #expect(!definition.enabled)
        guard case .schedule(let schedule) = definition.kind else {
            Issue.record("not a schedule")
            return
        }
        #expect(schedule.cron.source == "0 2 * * mon-fri")
        #expect(schedule.timeZone.identifier == "Europe/Berlin")
        #expect(schedule.inputs == ["report": "daily", "limit": 10])
        #expect(schedule.maxInstances == 2)
    }

    @Test func bearerTokenAcceptsTokenOrKey() throws {
        let results = try Self.triggers(
            """
              - {type: webhook, path: /a, auth: {type: bearer, token: "${TOKEN}"}}
              - {type: webhook, path: /b, auth: {type: bearer, key: literal}}
            """
        )
        guard case .webhook(let first) = try results[0].get().kind, case .bearer(let token)? = first.auth else {
            Issue.record("not bearer auth")
            return
        }
        #expect(token.variables == ["TOKEN"])
        guard case .webhook(let second) = try results[1].get().kind, case .bearer(let literal)? = second.auth else {
            Issue.record("not bearer auth")
            return
        }
        #expect(try literal.resolve(in: [:]) == "literal")
    }

    @Test(arguments: [
        ("- {type: webhook}", "Orders_webhook_0", "path", "is required, e.g. /webhooks/orders"),
        ("- {type: webhook, path: 5}", "Orders_webhook_0", "path", "must be a string, found integer"),
        (
            "- {type: webhook, path: /a, method: TRACE}", "Orders_webhook_0", "method",
            "unsupported method 'TRACE' (use GET, POST, PUT, DELETE or PATCH)"
        ),
        (
            "- {type: webhook, path: /a, async: maybe}", "Orders_webhook_0", "async",
            "must be true or false, found string"
        ),
        (
            "- {type: webhook, path: /a, input_mapping: cookies}", "Orders_webhook_0", "input_mapping",
            "unknown mapping 'cookies' (use body, query, headers, path, all, or a map of input name to source such as body.order.id)"
        ),
        (
            "- {type: webhook, path: /a, input_mapping: {x: form.x}}", "Orders_webhook_0", "input_mapping.x",
            "'form.x' must start with body, query, headers or path (e.g. body.order.id, headers.x-request-id)"
        ),
        (
            "- {type: webhook, path: /a, input_mapping: {x: query.a.b}}", "Orders_webhook_0", "input_mapping.x",
            "'query.a.b': query values are strings and have no members"
        ),
        (
            "- {type: webhook, path: /a, auth: {type: api_key}}", "Orders_webhook_0", "auth.key",
            "is required for api_key auth, e.g. key: \"${WEBHOOK_KEY}\""
        ),
        (
            "- {type: webhook, path: /a, auth: {type: bearer}}", "Orders_webhook_0", "auth.token",
            "is required for bearer auth, e.g. token: \"${WEBHOOK_TOKEN}\""
        ),
        (
            "- {type: webhook, path: /a, auth: {type: basic, key: k}}", "Orders_webhook_0", "auth.type",
            "unknown auth type 'basic' (use api_key or bearer)"
        ),
        (
            "- {type: webhook, path: /a, auth: {type: api_key, key: \"${1BAD}\"}}", "Orders_webhook_0", "auth.key",
            "'${1BAD}' is not an environment variable reference (letters, digits and '_', not starting with a digit)"
        ),
        (
            "- {type: webhook, path: /a, auth: {type: api_key, key: \"${OPEN\"}}", "Orders_webhook_0", "auth.key",
            "'${' without a closing '}' in '${OPEN'"
        ),
        ("- {type: schedule}", "Orders_schedule_0", "cron", "is required, e.g. \"*/5 * * * *\""),
        (
            "- {id: tick, type: schedule, cron: \"61 * * * *\"}", "tick", "cron",
            "invalid expression '61 * * * *': minute field '61': value 61 is out of range 0-59"
        ),
        (
            "- {type: schedule, cron: \"* * *\"}", "Orders_schedule_0", "cron",
            "invalid expression '* * *': expected 5 fields (minute hour day-of-month month day-of-week), found 3"
        ),
        (
            "- {type: schedule, cron: \"@daily\", timezone: Mars/Olympus}", "Orders_schedule_0", "timezone",
            "unknown time zone 'Mars/Olympus' (use an IANA name such as Europe/Berlin)"
        ),
        (
            "- {type: schedule, cron: \"@daily\", inputs: [1]}", "Orders_schedule_0", "inputs",
            "must be a map of input name to value, found array"
        ),
        (
            "- {type: schedule, cron: \"@daily\", max_instances: 0}", "Orders_schedule_0", "max_instances",
            "must be a whole number of at least 1"
        ),
        ("- {type: queue}", "Orders_queue_0", "type", "unknown trigger type 'queue' (supported: webhook, schedule)"),
        ("- {path: /a}", "Orders_trigger_0", "type", "is required (webhook or schedule)"),
        ("- {type: webhook, id: a/b, path: /a}", "Orders_webhook_0", "id", "must be a non-empty string without '/'"),
    ])
    func invalidTriggersNameTheTriggerAndField(yaml: String, id: String, field: String, message: String) throws {
        let error = try Self.error("  " + yaml)
        #expect(error.triggerId == id)
        #expect(error.field == field)
        #expect(error.message == message)
        #expect(error.description == "trigger '\(id)' of flow 'Orders': \(field): \(message)")
    }

    @Test func aTriggerThatIsNotAMappingIsRejected() throws {
        let error = try Self.error("  - webhook")
        #expect(
            error.description
                == "trigger 'Orders_trigger_0' of flow 'Orders': a trigger must be a mapping with a 'type', found string"
        )
    }

    @Test func triggersMustBeAList() throws {
        let error = try Self.error("  type: webhook")
        #expect(error.field == "triggers")
        #expect(error.message == "must be a list of triggers, found object")
    }

    @Test func aRepeatedIdRejectsTheLaterTrigger() throws {
        let results = try Self.triggers(
            """
              - {id: hook, type: webhook, path: /a}
              - {id: hook, type: webhook, path: /b}
            """
        )
        #expect((try? results[0].get()) != nil)
        guard case .failure(let error) = results[1] else {
            Issue.record("expected a duplicate-id error")
            return
        }
        #expect(error.message == "another trigger of this flow already has the id 'hook'")
    }

    @Test func unknownKeysAreReportedNotFatal() throws {
        let definition = try Self.triggers("  - {type: webhook, path: /a, methdo: GET}")[0].get()
        #expect(definition.unknownKeys == ["methdo"])
    }

    @Test func environmentTemplates() throws {
        let template = try EnvironmentTemplate("${A}-$${B}-$C-${A}")
        #expect(template.variables == ["A", "A"])
        #expect(try template.resolve(in: ["A": "x"]) == "x-${B}-$C-x")
        #expect(throws: EnvironmentTemplateError("environment variable 'A' is not set")) {
            try template.resolve(in: [:])
        }
        let two = try EnvironmentTemplate("${A}${B}")
        #expect(throws: EnvironmentTemplateError("environment variables 'A', 'B' are not set")) {
            try two.resolve(in: [:])
        }
    }
}
