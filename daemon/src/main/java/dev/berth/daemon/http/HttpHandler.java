package dev.berth.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the decoded HTTP messages of one connection into {@link Exchange}s and runs each on a virtual thread.
 *
 * <p>The request's body is handed over piece by piece through a {@link BodyStream}, so handlers may start before it
 * has all arrived (imports and builds stream their tar). After a hijack the same stream carries the raw bytes.
 */
final class HttpHandler extends ChannelInboundHandlerAdapter {
    private static final Pattern VERSION_PREFIX = Pattern.compile("^/v(\\d+(?:\\.\\d+)?)(/.*)$");

    private final Router router;
    private final ExecutorService workers;
    private final BiConsumer<Exchange, Throwable> errors;
    private BodyStream body;

    HttpHandler(Router router, ExecutorService workers, BiConsumer<Exchange, Throwable> errors) {
        this.router = router;
        this.workers = workers;
        this.errors = errors;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest request) {
            body = new BodyStream(ctx.channel());
            dispatch(ctx, request, body);
        }
        if (msg instanceof HttpContent content) {
            if (body != null && content.content().isReadable()) {
                body.offer(content.content().retain());
            }
            content.release();
            if (msg instanceof LastHttpContent && body != null && !hijacked(ctx)) {
                body.end();
            }
            return;
        }
        if (msg instanceof ByteBuf raw) { // after a hijack: the client's raw stream
            if (body != null) {
                body.offer(raw);
            } else {
                raw.release();
            }
        }
    }

    private static boolean hijacked(ChannelHandlerContext ctx) {
        return ctx.pipeline().get(io.netty.handler.codec.http.HttpRequestDecoder.class) == null;
    }

    private void dispatch(ChannelHandlerContext ctx, HttpRequest request, BodyStream requestBody) {
        String rawPath = new QueryStringDecoder(request.uri()).rawPath();
        ApiVersion version = ApiVersion.MAX;
        String path = rawPath;
        Matcher m = VERSION_PREFIX.matcher(rawPath);
        if (m.matches()) {
            path = m.group(2);
            version = ApiVersion.parse(m.group(1));
        }
        Exchange exchange = new Exchange(ctx.channel(), request, path, version, requestBody, raw -> body = raw);
        String method = request.method().name();
        String finalPath = path;
        ApiVersion finalVersion = version;
        workers.execute(() -> {
            try {
                if (finalVersion.compareTo(ApiVersion.MAX) > 0) {
                    Responses.error(exchange, 400, "client version " + finalVersion
                            + " is too new. Maximum supported API version is " + ApiVersion.MAX);
                } else if (finalVersion.lessThan(ApiVersion.MIN)) {
                    Responses.error(exchange, 400, "client version " + finalVersion
                            + " is too old. Minimum supported API version is " + ApiVersion.MIN
                            + ", please upgrade your client to a newer version");
                } else if (method.equals("OPTIONS")) {
                    exchange.sendEmpty(200);
                } else {
                    var match = router.match(method, finalPath);
                    if (match.isEmpty()) {
                        Responses.error(exchange, 404, "page not found");
                    } else {
                        match.get().route().handle(exchange, match.get().params());
                    }
                }
            } catch (Throwable t) {
                errors.accept(exchange, t);
            } finally {
                if (!hijacked(ctx)) {
                    drain(requestBody);
                }
            }
        });
    }

    /** Reads what is left of a body the handler ignored, so the next request on this connection parses cleanly. */
    private static void drain(BodyStream requestBody) {
        byte[] sink = new byte[8192];
        try {
            while (requestBody.read(sink, 0, sink.length) >= 0) {
                // discard
            }
        } catch (java.io.IOException ignored) {
            // the connection is gone; nothing to drain
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && body != null) {
            body.end();
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (body != null) {
            body.end();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
