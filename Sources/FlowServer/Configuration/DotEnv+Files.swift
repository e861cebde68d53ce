import Foundation

extension DotEnv {
    /// Reads and parses the `.env` file at `path`; an unreadable file is an error naming it.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigurationError(
                variable: nil, message: "\(path): cannot read the .env file (\(Self.reason(path)))")
        }
        try self.init(parsing: text, path: path)
    }

    /// The `.env` files `flowlang serve PATH` uses, lowest precedence first.
    ///
    /// `explicitFile` (`--env-file`) alone when given, and it must be readable. Otherwise `.env` in the working
    /// directory, then `.env` next to what is served (the directory, or the flow file's directory), each
    /// only if it exists.
    public static func files(servedPath: String, explicitFile: String?, workingDirectory: String)
        throws(ConfigurationError)
        -> [DotEnv]
    {
        if let explicitFile { return [try DotEnv(contentsOf: explicitFile)] }
        var isDirectory: ObjCBool = false
        let served = URL(fileURLWithPath: servedPath, relativeTo: URL(fileURLWithPath: workingDirectory))
        let servedDirectory =
            FileManager.default.fileExists(atPath: served.path, isDirectory: &isDirectory) && !isDirectory.boolValue
            ? served.deletingLastPathComponent() : served
        let candidates = [URL(fileURLWithPath: workingDirectory), servedDirectory].map {
            $0.appendingPathComponent(".env").standardizedFileURL.path
        }
        var files: [DotEnv] = []
        for path in candidates
        where !files.contains(where: { $0.path == path }) && FileManager.default.fileExists(atPath: path) {
            files.append(try DotEnv(contentsOf: path))
        }
        return files
    }

    private static func reason(_ path: String) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return "no such file" }
        if isDirectory.boolValue { return "it is a directory" }
        guard FileManager.default.isReadableFile(atPath: path) else { return "permission denied" }
        return "it is not UTF-8 text"
    }
}
