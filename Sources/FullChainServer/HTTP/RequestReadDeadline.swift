import NIOCore
import NIOHTTPTypes

/// Closes a connection whose client sends a request's body too slowly. The idle timeout starts
/// again with every part that arrives, so a client dribbling a byte now and then would keep its
/// connection (and a handler waiting for the body) forever. Once a request's head has arrived,
/// its body must be complete within `base` plus one second for every `minimumBytesPerSecond`
/// bytes received so far: a large upload over a fair link is never cut, a dribbler is cut after
/// about `base`.
final class RequestReadDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let base: TimeAmount
    let minimumBytesPerSecond: Int64
    /// When the request being read started (nil between requests), and its body bytes so far.
    private var startedAt: NIODeadline?
    private var bytes: Int64 = 0
    private var timer: Scheduled<Void>?

    init(base: TimeAmount, minimumBytesPerSecond: Int64 = 500) {
        self.base = base
        self.minimumBytesPerSecond = max(1, minimumBytesPerSecond)
    }

    /// When the body must be complete, given what arrived so far.
    private var deadline: NIODeadline? {
        startedAt.map { $0 + base + .nanoseconds(min(bytes, Int64.max / 1_000_000_000 / 2) * 1_000_000_000 / minimumBytesPerSecond) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            startedAt = .now()
            bytes = 0
            schedule(context)
        case .body(let buffer):
            bytes = bytes &+ Int64(buffer.readableBytes)
        case .end:
            startedAt = nil
            timer?.cancel()
            timer = nil
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    /// Checks the deadline when it comes: closes the connection if the body is still not complete,
    /// else waits for the later deadline its bytes earned.
    private func schedule(_ context: ChannelHandlerContext) {
        timer?.cancel()
        guard let deadline else { return }
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(deadline: deadline) {
            let (handler, context) = loopBound.value
            handler.timer = nil
            guard let due = handler.deadline else { return }
            if due <= .now() {
                context.close(promise: nil)
            } else {
                handler.schedule(context)
            }
        }
    }
}
