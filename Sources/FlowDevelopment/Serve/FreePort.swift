import NIOCore
import NIOPosix

/// A loopback port nobody listens on, found by binding port 0 and closing at once; another process could take it
/// in between, which for a development server only means a clear "address in use" error.
enum FreePort {
    static func find() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
            host: "127.0.0.1", port: 0
        ).get()
        let port = channel.localAddress?.port
        try await channel.close()
        guard let port else { throw PackageServerError("cannot find a free loopback port") }
        return port
    }
}
