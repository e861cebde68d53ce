import FlowCore
import FlowServer
import FlowTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import OrderedCollections
import Testing

/// Builds trigger test applications (with ``TestFlowServer``) and reads their responses.
enum TriggerFixtures {
    /// An application serving `flows` (one: single-flow mode; more: multi-flow mode) with the settings of
    /// `environment`.
    static func application(
        _ flows: [FlowDefinition],
        registry: TaskRegistry = TaskRegistry(),
        environment: [String: String] = [:],
        clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> some ApplicationProtocol {
        let served = flows.map { ServedFlow(definition: $0, registry: registry) }
        return TestFlowServer.application(
            served.count == 1 ? FlowCatalog(flow: served[0]) : FlowCatalog(flows: served),
            configuration: ServerConfiguration(requestLogLevel: nil, environment: environment),
            clock: clock,
            now: now
        )
    }

    static func json(_ response: TestResponse) throws -> FlowValue {
        try FlowValue(json: String(buffer: response.body))
    }

    static func date(_ text: String) -> Date {
        try! Date(text, strategy: .iso8601)
    }

    /// A wall clock that moves with `clock`, starting at `start`.
    static func wallClock(_ clock: ManualClock, startingAt start: Date) -> @Sendable () -> Date {
        { start.addingTimeInterval(clock.now.offset.inMilliseconds / 1000) }
    }
}
