import FlowCore
import Foundation
import OrderedCollections

/// The original's `hello_world` example: its flow, its implemented tasks (`hello_world_impl`) and its stubs
/// (`hello_world`), as the reference responses were recorded against.
enum HelloWorldFlow {
    static let yaml = """
        flow: HelloWorld
        description: A simple greeting workflow demonstrating basic FlowLang features

        inputs:
          - name: user_name
            type: string
            required: true
            description: Name of the user to greet

        steps:
          - task: ValidateUser
            id: validate
            inputs:
              name: ${inputs.user_name}
            outputs:
              - is_valid
              - validation_message

          - if: ${validate.is_valid}
            then:
              - task: GenerateGreeting
                id: greet
                inputs:
                  name: ${inputs.user_name}
                outputs:
                  - greeting
                  - timestamp
            else:
              - task: GenerateErrorMessage
                id: error_msg
                inputs:
                  reason: ${validate.validation_message}
                outputs:
                  - error_message

        outputs:
          - name: message
            value: ${greet.greeting}
            description: The greeting message (if validation passed)
          - name: timestamp
            value: ${greet.timestamp}
            description: When the greeting was generated
        """

    /// The three tasks implemented in Swift, behaving like the original's `flow.py`.
    static var implemented: TaskRegistry {
        var registry = TaskRegistry()
        registry.register("ValidateUser", description: "Validate that the user name is acceptable") { inputs, _ in
            let name = inputs["name"]?.stringValue ?? ""
            if name.trimmingCharacters(in: .whitespaces).isEmpty {
                return ["is_valid": false, "validation_message": "Name cannot be empty"]
            }
            if name.count < 2 {
                return ["is_valid": false, "validation_message": "Name must be at least 2 characters"]
            }
            return ["is_valid": true, "validation_message": "Name is valid"]
        }
        registry.register("GenerateGreeting", description: "Generate a personalized greeting") { inputs, _ in
            let name = inputs["name"]?.stringValue ?? ""
            return [
                "greeting": .string("Hello, \(name)! Welcome to FlowLang. 🎉"),
                "timestamp": .string(Timestamp.iso8601(Date()).replacingOccurrences(of: "+00:00", with: "Z")),
            ]
        }
        registry.register("GenerateErrorMessage", description: "Generate an error message for invalid input") {
            inputs, _ in
            let reason = inputs["reason"]?.stringValue ?? ""
            return ["error_message": .string("❌ Sorry, I can't greet you: \(reason)")]
        }
        return registry
    }

    /// The same tasks as scaffolded stubs: nothing implemented.
    static var stubs: TaskRegistry {
        var registry = TaskRegistry()
        registry.registerStub("ValidateUser")
        registry.registerStub("GenerateGreeting")
        registry.registerStub("GenerateErrorMessage")
        return registry
    }
}
