#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// libFuzzer's driver, which parses its command-line flags and calls `testOneInput` for every input it tries.
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Runs libFuzzer over `testOneInput` with the process's arguments, then exits with its status.
///
/// SwiftPM links an executable's `main` to the module's Swift entry point, so libFuzzer's own `main` is never used;
/// each target's `@main` hands over to libFuzzer here instead.
public func runLibFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}
