import ArgumentParser
import FlowScaffold

/// `--flowlang`, shared by the commands that write a package: where its `Package.swift` gets FlowLang.
struct FlowLangSourceOption: ParsableArguments {
    @Option(
        name: .customLong("flowlang"),
        help: ArgumentHelp(
            "Where the package gets FlowLang: a path (default: the checkout this flowlang was built from) or a git URL.",
            valueName: "path-or-url"
        )
    )
    var flowLang: String?

    /// The dependency to write; nil keeps the default (the checkout this flowlang was built from).
    var dependency: FlowLangDependency? {
        flowLang.map { FlowLangDependency(argument: $0) }
    }
}
