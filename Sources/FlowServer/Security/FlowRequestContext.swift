import Hummingbird
import NIOCore

/// The request context of a FlowLang server: Hummingbird's basics plus the client's address, which rate
/// limiting uses to tell clients without an API key apart.
struct FlowRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The connected peer; nil in router tests, which have no socket.
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
