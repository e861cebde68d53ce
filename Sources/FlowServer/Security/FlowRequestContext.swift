package import Hummingbird
package import NIOCore

/// The request context of a FlowLang server: Hummingbird's basics plus the client's address, which rate
/// limiting uses to tell clients without an API key apart.
package struct FlowRequestContext: RequestContext, RemoteAddressRequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The connected peer; nil in router tests, which have no socket.
    package let remoteAddress: SocketAddress?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}
