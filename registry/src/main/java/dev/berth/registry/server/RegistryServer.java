package dev.berth.registry.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLException;

/**
 * The built-in registry: the OCI distribution API over HTTP/1.1 (or HTTPS with a PEM certificate and key), content
 * under a root directory, optional htpasswd Basic authentication and periodic online garbage collection.
 *
 * <p>Requests run on Netty's event loops, which also do their file I/O: there are several loops, and no request holds
 * one longer than a file operation (request bodies stream to disk as they arrive).
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(RegistryServer.class.getName());

    /** What {@code berth registry serve} takes. */
    public record Options(InetSocketAddress address, Path root, Path htpasswd, Path tlsCert, Path tlsKey,
                          Duration gcInterval, Duration gcGrace) {
        public Options {
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
        }
    }

    private final Channel channel;
    private final ChannelGroup connections;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ScheduledExecutorService gc;
    private final RegistryStorage storage;

    private RegistryServer(Channel channel, ChannelGroup connections, EventLoopGroup boss, EventLoopGroup io,
                           ScheduledExecutorService gc, RegistryStorage storage) {
        this.channel = channel;
        this.connections = connections;
        this.boss = boss;
        this.io = io;
        this.gc = gc;
        this.storage = storage;
    }

    public static RegistryServer start(Options o) throws IOException, InterruptedException {
        return start(o, null);
    }

    /** Starts the server; {@code accessLog}, if not null, gets one line per answered request. */
    public static RegistryServer start(Options o, Consumer<String> accessLog) throws IOException, InterruptedException {
        // files given on the command line are checked before anything is created
        Htpasswd htpasswd = o.htpasswd() == null ? null : new Htpasswd(o.htpasswd(), "Berth Registry");
        SslContext ssl = null;
        if (o.tlsCert() != null) {
            try {
                ssl = SslContextBuilder.forServer(o.tlsCert().toFile(), o.tlsKey().toFile()).build();
            } catch (SSLException | IllegalArgumentException e) {
                throw new IOException("cannot load TLS certificate " + o.tlsCert() + " and key " + o.tlsKey()
                        + ": " + e.getMessage(), e);
            }
        }
        SslContext tls = ssl;
        RegistryStorage storage = new RegistryStorage(o.root());
        storage.repair();
        Uploads uploads = new Uploads(storage);
        EventLoopGroup boss = new NioEventLoopGroup(1);
        EventLoopGroup io = new NioEventLoopGroup(Math.max(8, 2 * Runtime.getRuntime().availableProcessors()));
        ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, io)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        ChannelPipeline p = ch.pipeline();
                        if (tls != null) {
                            p.addLast(tls.newHandler(ch.alloc()));
                        }
                        // request bodies reach the handler in pieces of up to 1 MiB: fewer, larger writes to upload files
                        p.addLast(new HttpServerCodec(4096, 16384, 1 << 20));
                        p.addLast(new HttpServerExpectContinueHandler());
                        p.addLast(new ChunkedWriteHandler());
                        p.addLast(new RegistryHandler(storage, uploads, htpasswd, accessLog));
                    }
                });
        Channel ch;
        try {
            ch = b.bind(o.address()).sync().channel();
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            io.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + o.address() + ": " + e.getMessage(), e);
        }
        ScheduledExecutorService gc = null;
        if (o.gcInterval() != null && !o.gcInterval().isZero()) {
            gc = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon().name("registry-gc")
                    .unstarted(r));
            GarbageCollector collector = new GarbageCollector(storage, o.gcGrace());
            long every = o.gcInterval().toMillis();
            gc.scheduleWithFixedDelay(() -> {
                try {
                    collector.run();
                } catch (IOException | RuntimeException e) {
                    LOG.log(Level.WARNING, "registry garbage collection failed", e);
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        return new RegistryServer(ch, connections, boss, io, gc, storage);
    }

    /** The port it listens on (useful when started on port 0). */
    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** A garbage collection now, alongside requests (what the periodic one runs). */
    public GarbageCollector.Result collectGarbage(Duration grace) throws IOException {
        return new GarbageCollector(storage, grace).run();
    }

    public void awaitClose() throws InterruptedException {
        channel.closeFuture().sync();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        connections.close().awaitUninterruptibly();
        if (gc != null) {
            gc.shutdownNow();
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
