import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import OrderedCollections
import Testing

/// `GET /flows/{flow}/triggers[/{id}]`, checked against the original server's recorded responses.
@Suite struct TriggerStatusTests {
    static func webhookExample() throws -> FlowDefinition {
        try TestFlowServer.flow(
            """
            flow: WebhookExample
            triggers:
              - type: webhook
                path: /webhooks/example
                method: POST
                async: false
                input_mapping: body
            inputs:
              - {name: message, type: string, required: true}
            steps:
              - task: Echo
                id: process
                inputs: {processed_message: "${inputs.message}"}
            outputs:
              - {name: result, value: "${process.processed_message}"}
            """
        )
    }

    static func scheduledReport() throws -> FlowDefinition {
        try TestFlowServer.flow(
            """
            flow: ScheduledReportFlow
            triggers:
              - {type: schedule, id: every_minute, cron: "* * * * *", timezone: UTC, max_instances: 1, enabled: true}
              - {type: schedule, id: every_5_minutes, cron: "*/5 * * * *", timezone: America/New_York, enabled: false}
              - {type: schedule, id: broken, cron: "61 * * * *"}
              - {type: queue, topic: orders}
            inputs: []
            steps:
              - task: Report
                id: report
                inputs: {trigger: "${inputs._schedule}"}
            """
        )
    }

    @Test func aFlowWithoutTriggersListsNone() async throws {
        let flow = try TestFlowServer.flow("flow: HelloWorld\nsteps: [{task: Echo}]")
        try await TriggerFixtures.application([flow]).test(.router) { client in
            try await client.execute(uri: "/flows/HelloWorld/triggers", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == #"{"flow":"HelloWorld","triggers":[],"count":0}"#)
            }
            try await client.execute(uri: "/flows/HelloWorld/triggers/no-such-trigger", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(
                    String(buffer: response.body)
                        == #"{"success":false,"error":"Trigger not found: no-such-trigger","status_code":404}"#
                )
            }
        }
    }

    @Test func webhookStatusMatchesTheRecordedResponse() async throws {
        let recorded =
            #"{"id":"WebhookExample_webhook_0","flow":"WebhookExample","running":true,"executions":0,"errors":0,"last_execution_time":null,"last_error":null,"type":"webhook","method":"POST","path":"/webhooks/example","auth_enabled":false,"auth_type":null,"async_execution":false"#
        try await TriggerFixtures.application([try Self.webhookExample()]).test(.router) { client in
            try await client.execute(uri: "/flows/WebhookExample/triggers/WebhookExample_webhook_0", method: .get) {
                response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == recorded + #","last_execution_id":null}"#)
            }
            try await client.execute(uri: "/flows/WebhookExample/triggers", method: .get) { response in
                #expect(
                    String(buffer: response.body)
                        == #"{"flow":"WebhookExample","triggers":["# + recorded
                        + #","last_execution_id":null}],"count":1}"#
                )
            }
            try await client.execute(
                uri: "/webhooks/example", method: .post, body: ByteBuffer(string: #"{"message": "HI"}"#)
            ) {
                response in
                #expect(response.status == .ok)
                let body = try TriggerFixtures.json(response)
                #expect(body["outputs"] == ["result": "HI"])
                #expect(body["execution"] == "sync")
            }
        }
    }

    @Test func scheduleStatusesIncludingInvalidTriggers() async throws {
        let clock = ManualClock()
        let now = TriggerFixtures.wallClock(clock, startingAt: TriggerFixtures.date("2026-11-26T18:24:43Z"))
        let gate = TaskGate()
        var registry = TaskRegistry()
        registry.register("Report") { inputs, _ in
            try await gate.pass(inputs)
            return inputs
        }
        let app = TriggerFixtures.application([try Self.scheduledReport()], registry: registry, clock: clock, now: now)
        try await app.test(.router) { client in
            await clock.waitForSleepers(count: 1)
            try await client.execute(uri: "/flows/ScheduledReportFlow/triggers", method: .get) { response in
                let body = try TriggerFixtures.json(response)
                #expect(body["count"] == 3)
                let statuses = body["triggers"]?.arrayValue ?? []
                #expect(
                    statuses.first?.jsonText
                        == #"{"id":"every_minute","flow":"ScheduledReportFlow","running":true,"executions":0,"errors":0,"last_execution_time":null,"last_error":null,"type":"schedule","cron":"* * * * *","timezone":"UTC","next_execution":"2026-11-26T18:25:00+00:00","last_scheduled":null,"max_instances":1,"running_instances":0,"skipped":0,"ran_elsewhere":0,"last_execution_id":null}"#
                )
                #expect(
                    statuses.dropFirst().first?.jsonText
                        == #"{"id":"broken","flow":"ScheduledReportFlow","running":false,"executions":0,"errors":0,"last_execution_time":null,"last_error":"cron: invalid expression '61 * * * *': minute field '61': value 61 is out of range 0-59","type":"schedule","last_execution_id":null}"#
                )
                #expect(statuses.last?["id"] == "ScheduledReportFlow_queue_3")
                #expect(
                    statuses.last?["last_error"] == "type: unknown trigger type 'queue' (supported: webhook, schedule)")
            }
            try await client.execute(uri: "/flows/ScheduledReportFlow/triggers/every_5_minutes", method: .get) {
                response in
                #expect(response.status == .notFound)
            }

            clock.advance(by: .seconds(17))
            var started = gate.started.makeAsyncIterator()
            let inputs = try #require(await started.next())
            #expect(inputs["trigger"]?["scheduled_time"] == "2026-11-26T18:25:00+00:00")
            try await client.execute(uri: "/flows/ScheduledReportFlow/executions", method: .get) { response in
                let executions = try TriggerFixtures.json(response)["executions"]?.arrayValue ?? []
                #expect(executions.count == 1)
                #expect(executions.first?["mode"] == "schedule")
            }
            gate.open()
        }
    }

    @Test func unknownFlowAnswers404() async throws {
        try await TriggerFixtures.application([try Self.webhookExample()]).test(.router) { client in
            try await client.execute(uri: "/flows/NoSuchFlow/triggers", method: .get) { response in
                #expect(response.status == .notFound)
                let json = try TriggerFixtures.json(response)
                #expect(json["error"] == "Flow not found: NoSuchFlow")
            }
        }
    }
}
