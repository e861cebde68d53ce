import FlowCore

/// A value shown on a page: JSON, escaped, cut to a preview when long, with the whole value one click away.
///
/// Huge, deeply nested or HTML-laden values are text to the page: everything passes through
/// ``ConsoleHTML/escape(_:)``. The whole value is kept up to ``maximumShown`` characters; beyond that the page
/// says so and the API's JSON record has it all.
enum ConsoleValue {
    /// How many characters a preview shows.
    static let previewLength = 2000
    /// How many characters of a value a page holds at most.
    static let maximumShown = 256 * 1024

    static func html(_ value: FlowValue, label: String) -> String {
        let text = value.prettyJSON()
        guard text.count > previewLength else { return "<pre class=\"value\">\(ConsoleHTML.escape(text))</pre>" }
        let whole =
            text.count > maximumShown
            ? ConsoleHTML.escape(text.prefix(maximumShown))
                + "\n… (cut at \(maximumShown) characters; the API record has the whole value)"
            : ConsoleHTML.escape(text)
        return """
            <pre class="value">\(ConsoleHTML.escape(text.prefix(previewLength)))…</pre>
            <details class="whole"><summary>Show the whole \(ConsoleHTML.escape(label)) (\(text.count) characters)</summary>\
            <pre class="value">\(whole)</pre></details>
            """
    }
}
