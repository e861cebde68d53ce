import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `posix_spawn` with a clean signal state, and `waitpid` for its end.
enum ProcessSpawn {
    /// Starts `command` with an empty signal mask and default handlers, standard input from /dev/null, and
    /// standard output and error on `output` (inherited when `nil`).
    /// Starts `command` with standard input from /dev/null, standard output to `output` and standard error to
    /// `errorOutput` (or `output` too when nil); without `output` both streams are inherited.
    static func spawn(_ command: ProcessCommand, output: Int32?, errorOutput: Int32? = nil)
        throws(ProcessSupervisorError) -> pid_t
    {
        #if canImport(Darwin)
            var attributes: posix_spawnattr_t? = nil
            var actions: posix_spawn_file_actions_t? = nil
        #else
            var attributes = posix_spawnattr_t()
            var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        posix_spawn_file_actions_init(&actions)
        defer {
            posix_spawnattr_destroy(&attributes)
            posix_spawn_file_actions_destroy(&actions)
        }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        if let output {
            posix_spawn_file_actions_adddup2(&actions, output, 1)
            posix_spawn_file_actions_adddup2(&actions, errorOutput ?? output, 2)
        }
        var program = [command.executable] + command.arguments
        if let directory = command.workingDirectory {
            guard FileManager.default.fileExists(atPath: directory) else {
                throw ProcessSupervisorError("cannot start \(command.executable): no directory \(directory)")
            }
            // posix_spawn has no portable "change directory" action: a shell changes it, then becomes the program.
            program = ["/bin/sh", "-c", #"cd "$0" && exec "$@""#, directory] + program
        }
        guard FileManager.default.isExecutableFile(atPath: command.executable) else {
            throw ProcessSupervisorError("cannot start \(command.executable): no such executable")
        }

        let argv = program.map { strdup($0) } + [nil]
        let environment = command.environment ?? ProcessInfo.processInfo.environment
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, program[0], &actions, &attributes, argv, envp)
        guard status == 0 else {
            throw ProcessSupervisorError("cannot start \(command.executable): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Blocks until `pid` ends: call it on a dedicated thread only.
    static func waitForExit(_ pid: pid_t) -> ProcessExit {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { return .exited(-1) }
        }
        let signal = status & 0x7f
        return signal == 0 ? .exited((status >> 8) & 0xff) : .signalled(signal)
    }
}
