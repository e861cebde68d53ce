import ArgumentParser

struct CompletionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "completions",
        abstract: "Print a shell completion script for flowlang.",
        discussion: """
            Install it once:
              bash: flowlang completions bash > ~/.local/share/bash-completion/completions/flowlang
              zsh:  flowlang completions zsh > "${fpath[1]}/_flowlang"   (then restart the shell)
              fish: flowlang completions fish > ~/.config/fish/completions/flowlang.fish
            """
    )

    @Argument(help: "The shell: bash, zsh or fish.")
    var shell: String

    func validate() throws {
        guard CompletionShell(rawValue: shell) != nil else {
            throw ValidationError("unknown shell '\(shell)'; choose bash, zsh or fish")
        }
    }

    func run() throws {
        let completionShell = CompletionShell(rawValue: shell) ?? .bash
        print(FlowLangCommand.completionScript(for: completionShell))
    }
}
