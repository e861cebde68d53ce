import FlowCore
import OrderedCollections

/// The parts of a webhook request a mapping can read.
struct WebhookRequestParts: Sendable {
    /// The body as text; blank means no body.
    var body: String
    var query: OrderedDictionary<String, FlowValue>
    /// Header names in lower case; repeated headers joined with ", ".
    var headers: OrderedDictionary<String, FlowValue>
    var path: OrderedDictionary<String, FlowValue>
}

/// Turns a webhook request into the flow's inputs, as the trigger's `input_mapping` says.
enum WebhookInputs {
    /// The request cannot provide inputs, e.g. its body is not JSON; answered 422.
    struct Problem: Error, Equatable {
        var message: String
    }

    static func extract(_ mapping: WebhookInputMapping, from request: WebhookRequestParts) throws(Problem)
        -> OrderedDictionary<String, FlowValue>
    {
        switch mapping {
        case .body:
            switch try body(of: request) {
            case nil: return [:]
            case .object(let members)?: return members
            case let other?: return ["body": other]
            }
        case .query: return request.query
        case .headers: return request.headers
        case .path: return request.path
        case .all:
            var all = OrderedDictionary<String, FlowValue>()
            if let body = try body(of: request) { all["body"] = body }
            all["query"] = .object(request.query)
            all["headers"] = .object(request.headers)
            all["path"] = .object(request.path)
            return all
        case .inputs(let sources):
            let parsedBody = sources.values.contains { $0.root == .body } ? try body(of: request) : nil
            var inputs = OrderedDictionary<String, FlowValue>()
            for (input, source) in sources {
                let root: FlowValue? =
                    switch source.root {
                    case .body: parsedBody
                    case .query: .object(request.query)
                    case .headers: .object(request.headers)
                    case .path: .object(request.path)
                    }
                if let value = lookup(source.keys, in: root) { inputs[input] = value }
            }
            return inputs
        }
    }

    /// The JSON body, nil when blank.
    static func body(of request: WebhookRequestParts) throws(Problem) -> FlowValue? {
        guard !request.body.allSatisfy(\.isWhitespace) else { return nil }
        do {
            return try FlowValue(json: request.body, maxDepth: ExecuteRequest.maxJSONDepth)
        } catch {
            throw Problem(message: "Request body is not valid JSON: \(error.description)")
        }
    }

    /// The value at `keys` below `value`: object members by name, array elements by index.
    private static func lookup(_ keys: [String], in value: FlowValue?) -> FlowValue? {
        var current = value
        for key in keys {
            switch current {
            case .object(let members)?: current = members[key]
            case .array(let elements)?:
                guard let index = Int(key), elements.indices.contains(index) else { return nil }
                current = elements[index]
            default: return nil
            }
        }
        return current
    }
}
