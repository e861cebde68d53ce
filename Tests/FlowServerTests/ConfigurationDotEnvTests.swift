import FlowServer
import Foundation
import OrderedCollections
import Testing

/// The `.env` parser: comments, `export`, quotes, escapes, and errors that name the file and line.
@Suite struct ConfigurationDotEnvTests {
    static func parse(_ text: String) throws -> [String: String] {
        Dictionary(
            uniqueKeysWithValues: try DotEnv(parsing: text, path: ".env").values.elements.map { ($0.key, $0.value) })
    }

    static func error(_ text: String) -> ConfigurationError? {
        #expect(throws: ConfigurationError.self) { try DotEnv(parsing: text, path: "conf/.env") }
    }

    @Test func plainAssignmentsCommentsAndBlankLines() throws {
        let values = try Self.parse(
            """
            # Server
            HOST=0.0.0.0

            PORT=8000   # the walkthrough's port
              LOG_LEVEL = INFO
            """
        )
        #expect(values == ["HOST": "0.0.0.0", "PORT": "8000", "LOG_LEVEL": "INFO"])
    }

    @Test func exportPrefixIsIgnored() throws {
        #expect(try Self.parse("export PORT=9000\nexport\tHOST=::1") == ["PORT": "9000", "HOST": "::1"])
    }

    @Test func exportAloneIsAVariableName() throws {
        #expect(try Self.parse("export=yes") == ["export": "yes"])
    }

    @Test func doubleQuotesKeepSpacesAndHashesAndUnderstandEscapes() throws {
        let values = try Self.parse(#"GREETING="  hello # not a comment \"you\"\n\tbye \\ \$HOME"  # comment"#)
        #expect(values["GREETING"] == "  hello # not a comment \"you\"\n\tbye \\ $HOME")
    }

    @Test func singleQuotesAreLiteral() throws {
        #expect(try Self.parse(#"PATTERN='a\nb "c" ${X}'"#)["PATTERN"] == #"a\nb "c" ${X}"#)
    }

    @Test func doubleQuotedValuesMaySpanLines() throws {
        let values = try Self.parse("KEY=\"line one\nline two\"\nNEXT=1")
        #expect(values == ["KEY": "line one\nline two", "NEXT": "1"])
    }

    @Test func unquotedValuesKeepInnerHashesAndEqualsSigns() throws {
        let values = try Self.parse("URL=postgres://u:p@h/db?a=b#frag\nEMPTY=\nSPACED=a b")
        #expect(values == ["URL": "postgres://u:p@h/db?a=b#frag", "EMPTY": "", "SPACED": "a b"])
    }

    @Test func windowsLineEndingsAreAccepted() throws {
        #expect(try Self.parse("A=1\r\nB=2\r\n") == ["A": "1", "B": "2"])
    }

    @Test func aLaterLineWins() throws {
        #expect(try Self.parse("PORT=1\nPORT=2") == ["PORT": "2"])
    }

    @Test func aLineWithoutEqualsNamesFileAndLine() throws {
        let error = try #require(Self.error("A=1\n\nJUST_A_NAME\n"))
        #expect(error.description == "conf/.env:3: expected '=' after JUST_A_NAME")
    }

    @Test func anInvalidNameNamesFileAndLine() throws {
        let error = try #require(Self.error("A=1\n1PORT=2"))
        #expect(error.description == "conf/.env:2: '1PORT' is not a variable name (letters, digits and _)")
    }

    @Test func anUnterminatedQuoteNamesTheLineItOpensOn() throws {
        let error = try #require(Self.error("A=1\nB=\"open\nstill open\n"))
        #expect(error.description == "conf/.env:2: the value of B has no closing \"")
    }

    @Test func textAfterAClosingQuoteIsAnError() throws {
        let error = try #require(Self.error("A='x' y"))
        #expect(error.description == "conf/.env:1: unexpected text after the closing ' of A")
    }

    @Test func anExplicitFileThatCannotBeReadIsAnErrorNamingIt() throws {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString).path
        let error = #expect(throws: ConfigurationError.self) {
            try DotEnv.files(servedPath: ".", explicitFile: missing, workingDirectory: "/")
        }
        #expect(error?.description == "\(missing): cannot read the .env file (no such file)")
    }

    @Test func aDirectoryGivenAsTheFileIsAnError() throws {
        let directory = FileManager.default.temporaryDirectory.path
        let error = #expect(throws: ConfigurationError.self) {
            try DotEnv(contentsOf: directory)
        }
        #expect(error?.description.hasSuffix("cannot read the .env file (it is a directory)") == true)
    }

    @Test func missingDefaultFilesAreFine() throws {
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        #expect(try DotEnv.files(servedPath: ".", explicitFile: nil, workingDirectory: empty.path).isEmpty)
    }

    @Test func theServedDirectorysFileComesAfterTheWorkingDirectorysSoItWins() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        let served = root.appendingPathComponent("flows")
        try FileManager.default.createDirectory(at: served, withIntermediateDirectories: true)
        try "PORT=1\nHOST=a".write(to: root.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        try "PORT=2".write(to: served.appendingPathComponent(".env"), atomically: true, encoding: .utf8)
        let files = try DotEnv.files(servedPath: "flows", explicitFile: nil, workingDirectory: root.path)
        #expect(files.count == 2)
        let resolved = try ConfigurationResolver().resolve(dotEnvFiles: files)
        #expect(resolved.server.port == 2)
        #expect(resolved.server.host == "a")
    }
}
