import ArgumentParser
import FlowServer
import FlowServerCommand
import Testing

/// `ServerSettingsOptions`: the command line every server program shares covers every setting.
@Suite struct ServerSettingsOptionsTests {
    @Test(arguments: ConfigurationVariable.all)
    func everySettingHasItsFlag(variable: ConfigurationVariable) throws {
        let options = try ServerSettingsOptions.parse([variable.flag, "value-of-\(variable.name)"])
        #expect(options.flags == [variable: "value-of-\(variable.name)"])
    }

    @Test func noFlagsLeaveEverySettingToTheEnvironmentAndDefaults() throws {
        let options = try ServerSettingsOptions.parse([])
        #expect(options.flags.isEmpty)
        #expect(options.metrics)
        #expect(!options.printConfig)
        #expect(try ServerSettingsOptions.parse(["--no-metrics"]).metrics == false)
    }
}
