package import FlowCore

/// A task the flow calls, with everything the generated code needs to know about it.
package struct DiscoveredTask: Sendable, Equatable {
    /// The registered task name, as written in `task:`.
    package var name: String
    /// The Swift type implementing it, also the file's name.
    package var typeName: String
    /// The ids of the steps calling it, in first-use order; steps without an id are only counted.
    package var stepIds: [String]
    /// How many task steps call it.
    package var callCount: Int
    /// How many of those steps have no id.
    package var callsWithoutId: Int
    /// The union of the input keys the steps pass, in first-use order.
    package var inputs: [Field]
    /// The result fields the flow reads (`${id.field}`), in first-read order; empty when it reads none.
    package var outputs: [Field]
    /// A result with every field the flow reads, for the generated flow test's mock.
    package var mockResult: FlowValue
    /// The first `description:` of the steps calling it, for the generated file's documentation and the
    /// registry; `nil` when no step has one.
    package var description: String? = nil
    /// The connections its steps name with `connection:`, in first-use order; the generated stub opens the
    /// database when there is one.
    package var connections: [String] = []

    /// One field of a generated `Input` or `Output` struct.
    package struct Field: Sendable, Equatable {
        /// The key in YAML and JSON.
        package var key: String
        /// The Swift property name.
        package var propertyName: String
        package var type: SwiftType
        /// Not passed by every step, or possibly `null`.
        package var isOptional: Bool

        package init(key: String, propertyName: String, type: SwiftType, isOptional: Bool) {
            self.key = key
            self.propertyName = propertyName
            self.type = type
            self.isOptional = isOptional
        }

        /// The type as declared, `?` included.
        package var declaredType: String { type.code + (isOptional ? "?" : "") }
    }

    /// The input keys, as compared by `flowlang update` to report changed signatures.
    package var inputKeys: [String] { inputs.map(\.key) }
}

/// Gives each field a distinct Swift property name.
enum FieldNaming {
    static func assignPropertyNames(_ fields: inout [DiscoveredTask.Field]) {
        var used: Set<String> = []
        for index in fields.indices {
            var name = SwiftNaming.propertyName(fields[index].key)
            let base = SwiftNaming.bare(name)
            var counter = 2
            while used.contains(SwiftNaming.bare(name)) {
                name = base + "\(counter)"
                counter += 1
            }
            used.insert(SwiftNaming.bare(name))
            fields[index].propertyName = name
        }
    }
}
