import FlowCore
import Foundation
import OrderedCollections

/// `/ui/executions/{id}`: one run — its diagram coloured by step status, a timeline, each step's inputs,
/// outputs, attempts and error, the event log, the inputs and the result, with cancel and run again.
///
/// While the run goes on, the script follows `/ui/executions/{id}/events` and updates the diagram, the steps'
/// statuses and the event log as events arrive; the page itself shows the state when it was asked for.
enum ConsoleExecutionPage {
    static func html(_ record: ExecutionRecord, flow: ServedFlow?, now: Date) -> String {
        let run = ConsoleRun(record: record)
        let finished = record.status != .running
        let id = ConsoleHTML.escape(record.id.rawValue)
        let flowName = ConsoleHTML.escape(record.flowName)
        let flowLink = "/ui/flows/\(ConsoleHTML.component(record.flowName))"
        let cancelURL =
            (flow?.path ?? "/flows/\(ConsoleHTML.component(record.flowName))")
            + "/executions/\(ConsoleHTML.component(record.id.rawValue))/cancel"
        var facts = [
            (
                "Flow",
                "<a href=\"\(flowLink)\">\(flowName)</a>\(record.flowVersion.map { " (\(ConsoleHTML.escape($0)))" } ?? "")"
            ),
            ("Status", "<span id=\"run-status\">\(ConsoleHTML.status(record.status.rawValue))</span>"),
            ("Started", ConsoleHTML.time(record.startTime)),
            ("Mode", ConsoleHTML.escape(record.mode.rawValue)),
        ]
        if let end = record.endTime {
            facts.append(("Ended", ConsoleHTML.time(end)))
            facts.append(
                ("Duration", ConsoleHTML.duration(milliseconds: end.timeIntervalSince(record.startTime) * 1000)))
        }
        if let key = record.idempotencyKey { facts.append(("Idempotency key", ConsoleHTML.escape(key))) }
        if let reason = record.cancelReason { facts.append(("Cancel reason", ConsoleHTML.escape(reason))) }
        if let failure = record.result?.failure {
            facts.append(
                (
                    "Error",
                    "<span class=\"error\">\(ConsoleHTML.escape(failure.type)): \(ConsoleHTML.escape(failure.message))</span>"
                ))
        }
        let factList = facts.map { "<dt>\($0.0)</dt><dd>\($0.1)</dd>" }.joined()
        let cancel =
            finished
            ? ""
            : """
            <button type="button" id="cancel" data-url="\(ConsoleHTML.escape(cancelURL))">Cancel</button>
            """
        let stepList = ConsoleStepList.html(run, plan: flow.map { ConsoleStepPlan($0.definition) })
        let diagram =
            flow.map { served in
                """
                <section aria-labelledby="diagram-heading"><h2 id="diagram-heading">Diagram</h2>
                <figure class="diagram" id="diagram">\(ConsoleDiagram.svg(served.definition, run: run))</figure>
                <p class="legend">Step status: pending, running, completed, failed, retried, cancelled, not run (no event once \
                the run ended), silent (sends no events). A loop shows how many iterations ran; its iterations and a \
                subflow's steps are under Steps.</p></section>
                """
            } ?? "<p>The flow \(flowName) is no longer served: no diagram.</p>"
        let body = """
            <section id="execution" data-execution="\(id)" data-running="\(!finished)" \
            data-events="/ui/executions/\(ConsoleHTML.escape(ConsoleHTML.component(record.id.rawValue)))/events">
            <h1>Execution <code>\(id)</code></h1>
            <dl class="facts">\(factList)</dl>
            <p class="actions">\(cancel)<a class="button" href="\(flowLink)?run=\(ConsoleHTML.escape(ConsoleHTML.component(record.id.rawValue)))">Run again</a>
            <a href="/ui/executions?flow=\(ConsoleHTML.escape(ConsoleHTML.component(record.flowName)))">Runs of this flow</a></p>
            <p id="action-message" role="status" aria-live="polite"></p>
            <div class="columns">\(diagram)
            <div>
            <section aria-labelledby="steps-heading"><h2 id="steps-heading">Steps</h2>\(stepList)</section>
            <section aria-labelledby="timeline-heading"><h2 id="timeline-heading">Timeline</h2>
            \(ConsoleTimeline.svg(run, start: record.startTime, end: record.endTime ?? now))</section>
            </div></div>
            <section aria-labelledby="inputs-heading"><h2 id="inputs-heading">Inputs</h2>\(ConsoleValue.html(.object(record.inputs), label: "inputs"))</section>
            <section aria-labelledby="result-heading"><h2 id="result-heading">Result</h2>\(result(record))</section>
            <section aria-labelledby="events-heading"><h2 id="events-heading">Events</h2>
            <ol id="events" class="events">\(record.events.map(event).joined())</ol></section>
            </section>
            """
        return ConsoleHTML.page(title: "Execution \(record.id)", section: .executions, body: body)
    }

    private static func result(_ record: ExecutionRecord) -> String {
        guard let result = record.result else { return "<p id=\"result\">Still running.</p>" }
        return ConsoleValue.html(result.json, label: "result")
    }

    private static func event(_ event: ExecutionEvent) -> String {
        let step = event.stepId.map { " <code>\(ConsoleHTML.escape($0.rawValue))</code>" } ?? ""
        return
            "<li>\(ConsoleHTML.time(event.timestamp)) <span class=\"event-name\">\(ConsoleHTML.escape(event.name))</span>\(step)</li>"
    }

    /// The page for an id the store does not know.
    static func notFound(_ id: String) -> String {
        ConsoleHTML.page(
            title: "Execution not found",
            section: .executions,
            body: """
                <h1>Execution not found</h1>
                <p>No execution with id <code>\(ConsoleHTML.escape(id))</code> is kept here: it never existed, or it \
                finished long enough ago that the store dropped it.</p>
                <p><a href="/ui/executions">All executions</a></p>
                """
        )
    }
}
