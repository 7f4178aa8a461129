package dev.berth.daemon.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * One HTTP request and its response, handled on its own (virtual) thread.
 *
 * <p>A handler answers exactly once: {@link #send} a whole response, {@link #stream} a chunked one, or {@link #hijack}
 * the connection. Headers every response carries (Api-Version, Server, ...) are added here.
 */
public final class Exchange {
    /** Headers that moby's middleware puts on every response. */
    static final Map<String, String> COMMON_HEADERS = Map.of(
            "Api-Version", ApiVersion.MAX.toString(),
            "Server", "Docker/" + ApiVersion.ENGINE_VERSION + " (linux)",
            "Ostype", "linux",
            "Docker-Experimental", "false");

    private final Channel channel;
    private final HttpRequest request;
    private final String path;
    private final ApiVersion version;
    private final Map<String, List<String>> query;
    private final BodyStream body;
    private final java.util.function.Consumer<BodyStream> rawInstaller;
    private boolean answered;

    /** {@code rawInstaller} makes the connection's handler send the client's bytes to a new stream after a hijack. */
    Exchange(Channel channel, HttpRequest request, String path, ApiVersion version, BodyStream body,
            java.util.function.Consumer<BodyStream> rawInstaller) {
        this.channel = channel;
        this.request = request;
        this.path = path;
        this.version = version;
        this.query = new QueryStringDecoder(request.uri()).parameters();
        this.body = body;
        this.rawInstaller = rawInstaller;
    }

    public HttpMethod method() {
        return request.method();
    }

    /** The path without its /v1.NN prefix. */
    public String path() {
        return path;
    }

    public ApiVersion version() {
        return version;
    }

    public HttpHeaders headers() {
        return request.headers();
    }

    /** The last value of a query parameter, or null. */
    public String query(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.getLast();
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** Docker's boolean form values: "", 0, no, false, none are false; anything else true; absent → {@code dflt}. */
    public boolean queryBool(String name, boolean dflt) {
        String v = query(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            default -> true;
        };
    }

    public InputStream body() {
        return body;
    }

    public boolean answered() {
        return answered;
    }

    /** Whether the client is still connected: a long response with nothing to send for a while checks this. */
    public boolean connected() {
        return channel.isActive();
    }

    /** A complete response. */
    public void send(int status, String contentType, byte[] content) {
        send(status, contentType, content, List.of());
    }

    /** A complete response with extra headers given as name, value, name, value... */
    public void send(int status, String contentType, byte[] content, List<String> extraHeaders) {
        begin();
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(content));
        decorate(response);
        if (contentType != null) {
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, content.length);
        for (int i = 0; i + 1 < extraHeaders.size(); i += 2) {
            response.headers().set(extraHeaders.get(i), extraHeaders.get(i + 1));
        }
        finish(channel.writeAndFlush(response));
    }

    /** A response with no body (204, 201 without content, 304). */
    public void sendEmpty(int status) {
        send(status, null, new byte[0]);
    }

    /**
     * Starts a chunked response and flushes its headers at once (clients such as {@code docker run} wait for them before
     * going on). Every write is flushed; closing the stream ends the response.
     */
    public OutputStream stream(int status, String contentType) {
        return stream(status, contentType, List.of());
    }

    /** A chunked response with extra headers given as name, value, name, value... */
    public OutputStream stream(int status, String contentType, List<String> extraHeaders) {
        begin();
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
        decorate(response);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        for (int i = 0; i + 1 < extraHeaders.size(); i += 2) {
            response.headers().set(extraHeaders.get(i), extraHeaders.get(i + 1));
        }
        HttpUtil.setTransferEncodingChunked(response, true);
        channel.writeAndFlush(response);
        return new ChunkedOut();
    }

    /**
     * Takes over the connection for a raw bidirectional byte stream ({@code attach}, {@code exec start}). Answers
     * {@code 101 UPGRADED} when the client asked to upgrade, else {@code 200 OK} as legacy clients expect, with no
     * framing after the headers. Closing the returned output closes the connection.
     */
    public Hijacked hijack(String contentType) {
        begin();
        boolean upgrade = request.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1,
                upgrade ? new HttpResponseStatus(101, "UPGRADED") : HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        if (upgrade) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
            response.headers().set(HttpHeaderNames.UPGRADE, "tcp");
        }
        // From here on the client's bytes are a raw stream: stop decoding HTTP before the client can send any
        // (it sends nothing before it has read the 101).
        BodyStream raw = new BodyStream(channel);
        channel.eventLoop().execute(() -> {
            rawInstaller.accept(raw);
            if (channel.pipeline().get(HttpRequestDecoder.class) != null) {
                channel.pipeline().remove(HttpRequestDecoder.class);
            }
        });
        channel.writeAndFlush(response).syncUninterruptibly();
        channel.eventLoop().execute(() -> {
            if (channel.pipeline().get(HttpResponseEncoder.class) != null) {
                channel.pipeline().remove(HttpResponseEncoder.class);
            }
        });
        return new Hijacked(channel, raw);
    }

    /** Runs {@code action} once the client's connection closes (at once if it already has). */
    public void onClose(Runnable action) {
        channel.closeFuture().addListener(f -> action.run());
    }

    private void begin() {
        if (answered) {
            throw new IllegalStateException("response already sent for " + request.method() + " " + request.uri());
        }
        answered = true;
    }

    private void decorate(HttpResponse response) {
        COMMON_HEADERS.forEach((k, v) -> response.headers().set(k, v));
        if (!HttpUtil.isKeepAlive(request)) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    private void finish(ChannelFuture written) {
        if (!HttpUtil.isKeepAlive(request)) {
            written.addListener(f -> channel.close());
        }
    }

    /** Chunked body writer: each write becomes one flushed chunk; waits while the client reads slowly. */
    private final class ChunkedOut extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("response stream closed");
            }
            if (!channel.isActive()) {
                throw new IOException("client closed the connection");
            }
            if (len == 0) {
                return;
            }
            ChannelFuture f = channel.writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(b, off, len)));
            if (!channel.isWritable()) {
                f.syncUninterruptibly();
            }
        }

        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            finish(channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT));
        }
    }
}
