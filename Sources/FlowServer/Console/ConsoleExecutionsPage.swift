import FlowCore
import Foundation

/// `/ui/executions`: runs of every flow, newest first, with the filters as a GET form and the next page as a
/// link, so that it works without a script and every view has a URL to share. On the first page the script
/// refreshes the list every few seconds, so new runs appear and running ones change status.
enum ConsoleExecutionsPage {
    static func html(_ page: ExecutionPage, query: ExecutionQuery, flows: [String], parameters: [String: String])
        -> String
    {
        let value = { (name: String) in ConsoleHTML.escape(parameters[name] ?? "") }
        let flowOptions = ([""] + flows).map { name in
            let selected = (parameters["flow"] ?? "") == name ? " selected" : ""
            return
                "<option value=\"\(ConsoleHTML.escape(name))\"\(selected)>\(name.isEmpty ? "Any flow" : ConsoleHTML.escape(name))</option>"
        }
        let statusOptions = ["", "running", "completed", "failed", "cancelled"].map { name in
            let selected = (parameters["status"] ?? "") == name ? " selected" : ""
            return "<option value=\"\(name)\"\(selected)>\(name.isEmpty ? "Any status" : name)</option>"
        }
        let rows = page.records.map { record in
            let link = "/ui/executions/\(ConsoleHTML.escape(ConsoleHTML.component(record.id.rawValue)))"
            let duration =
                record.endTime.map { ConsoleHTML.duration(milliseconds: $0.timeIntervalSince(record.startTime) * 1000) }
                ?? ""
            return """
                <tr data-execution="\(ConsoleHTML.escape(record.id.rawValue))"><td><a href="\(link)"><code>\(ConsoleHTML.escape(record.id.rawValue))</code></a></td>\
                <td>\(ConsoleHTML.escape(record.flowName))</td><td>\(ConsoleHTML.status(record.status.rawValue))</td>\
                <td>\(ConsoleHTML.time(record.startTime))</td><td>\(duration)</td><td>\(ConsoleHTML.escape(record.mode.rawValue))</td>\
                <td>\(ConsoleHTML.escape(record.idempotencyKey ?? ""))</td></tr>

                """
        }
        var links = ""
        if parameters["cursor"] != nil {
            links += "<a href=\"/ui/executions\(queryString(parameters, cursor: nil))\">Newest</a> "
        }
        if let next = page.next {
            links +=
                "<a rel=\"next\" href=\"/ui/executions\(queryString(parameters, cursor: next.token))\">Next page</a>"
        }
        let table =
            page.records.isEmpty
            ? "<p id=\"no-executions\">No execution matches.</p>"
            : """
            <table id="executions" class="list"><caption>Executions, newest first</caption>
            <thead><tr><th scope="col">Execution</th><th scope="col">Flow</th><th scope="col">Status</th><th scope="col">Started (UTC)</th>\
            <th scope="col">Duration</th><th scope="col">Mode</th><th scope="col">Idempotency key</th></tr></thead>
            <tbody>\(rows.joined())</tbody></table>
            """
        let body = """
            <h1>Executions</h1>
            <form class="filters" method="get" action="/ui/executions" role="search">
            <label>Flow <select name="flow">\(flowOptions.joined())</select></label>
            <label>Status <select name="status">\(statusOptions.joined())</select></label>
            <label>Started from (UTC) <input type="datetime-local" name="since" value="\(value("since"))"></label>
            <label>Started before (UTC) <input type="datetime-local" name="until" value="\(value("until"))"></label>
            <label>Id or idempotency key <input type="search" name="q" value="\(value("q"))"></label>
            <label>Per page <input type="number" name="limit" min="1" max="\(ExecutionQuery.maximumLimit)" value="\(query.limit)"></label>
            <button type="submit">Filter</button>
            </form>
            <div id="execution-list" data-live="\(parameters["cursor"] == nil)">\(table)</div>
            <nav class="pages" aria-label="Pages">\(links)</nav>
            """
        return ConsoleHTML.page(title: "Executions", section: .executions, body: body)
    }

    /// The filters of `parameters` as a query string, with `cursor` in place of the current one.
    static func queryString(_ parameters: [String: String], cursor: String?) -> String {
        var items = ["flow", "status", "since", "until", "q", "limit"].compactMap { name -> String? in
            guard let value = parameters[name], !value.isEmpty else { return nil }
            return "\(name)=\(ConsoleHTML.component(value))"
        }
        if let cursor { items.append("cursor=\(ConsoleHTML.component(cursor))") }
        return items.isEmpty ? "" : ConsoleHTML.escape("?" + items.joined(separator: "&"))
    }
}
