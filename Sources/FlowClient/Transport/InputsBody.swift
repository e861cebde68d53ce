import FlowCore
import OrderedCollections

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The body of an execute request, `{"inputs": {...}}`, and the decoding of typed outputs.
enum InputsBody {
    /// The body for inputs given as values, keys in sorted order so that equal inputs make equal bodies.
    static func bytes(_ inputs: [String: FlowValue]) -> [UInt8] {
        let members = OrderedDictionary(uniqueKeysWithValues: inputs.sorted { $0.key < $1.key })
        return FlowValue.object(["inputs": .object(members)]).jsonBytes
    }

    /// The body for inputs given as an `Encodable` value, which must encode as a JSON object.
    static func bytes(_ inputs: some Encodable) throws(FlowClientError) -> [UInt8] {
        let value: FlowValue
        do {
            let data = try JSONEncoder().encode(inputs)
            value = try FlowValue(json: String(decoding: data, as: UTF8.self))
        } catch {
            throw .invalidInputs("\(error)")
        }
        guard case .object = value else {
            throw .invalidInputs("inputs must encode as a JSON object, not \(value.kindName)")
        }
        return FlowValue.object(["inputs": value]).jsonBytes
    }

    /// `outputs` decoded as `Outputs`.
    static func decode<Outputs: Decodable>(
        _ outputs: [String: FlowValue],
        as type: Outputs.Type
    ) throws(FlowClientError) -> Outputs {
        let members = OrderedDictionary(uniqueKeysWithValues: outputs.sorted { $0.key < $1.key })
        do {
            return try JSONDecoder().decode(type, from: Data(FlowValue.object(members).jsonBytes))
        } catch {
            throw .decodingFailed("\(error)")
        }
    }
}
