import Testing

/// A parsed Prometheus text exposition: every sample line as name, labels and value; comments skipped.
struct MetricsText {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    let samples: [Sample]

    /// Parses `text`, recording an issue for any line that is not a comment or a `name{labels} value` sample.
    init(_ text: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let sample = Self.sample(line) else {
                Issue.record("not a Prometheus sample line: \(line)", sourceLocation: sourceLocation)
                continue
            }
            samples.append(sample)
        }
        self.samples = samples
    }

    /// The value of the sample named `name` with exactly `labels`, or nil.
    func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
        samples.first { $0.name == name && $0.labels == labels }?.value
    }

    /// Every sample named `name`.
    func all(_ name: String) -> [Sample] { samples.filter { $0.name == name } }

    private static func sample(_ line: Substring) -> Sample? {
        guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
            return nil
        }
        let series = line[..<space]
        guard let open = series.firstIndex(of: "{") else {
            return series.allSatisfy(isNameCharacter) ? Sample(name: String(series), labels: [:], value: value) : nil
        }
        guard series.last == "}" else { return nil }
        let name = series[..<open]
        guard !name.isEmpty, name.allSatisfy(isNameCharacter) else { return nil }
        var labels: [String: String] = [:]
        var rest = series[series.index(after: open)..<series.index(before: series.endIndex)]
        while !rest.isEmpty {
            guard let equals = rest.firstIndex(of: "="), rest[rest.index(after: equals)] == "\"" else { return nil }
            let key = String(rest[..<equals])
            var cursor = rest.index(equals, offsetBy: 2)
            var labelValue = ""
            while cursor < rest.endIndex, rest[cursor] != "\"" {
                if rest[cursor] == "\\" { cursor = rest.index(after: cursor) }
                guard cursor < rest.endIndex else { return nil }
                labelValue.append(rest[cursor])
                cursor = rest.index(after: cursor)
            }
            guard cursor < rest.endIndex else { return nil }
            labels[key] = labelValue
            rest = rest[rest.index(after: cursor)...]
            if rest.first == "," { rest = rest.dropFirst() }
        }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private static func isNameCharacter(_ character: Character) -> Bool {
        character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ":")
    }
}
