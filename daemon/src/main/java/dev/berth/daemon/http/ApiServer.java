package dev.berth.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.DomainSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;

/**
 * The Engine API server: HTTP/1.1 on a Unix socket (Netty's epoll transport), requests handled on virtual threads.
 * The socket is owned by root and group {@code berth}, mode 0660, like Docker's.
 */
public final class ApiServer implements AutoCloseable {
    /**
     * Headers up to 2 MiB: Berth's CLI sends build secrets in {@code X-Berth-Build-Secrets} (at most 1 MiB encoded),
     * and the docker CLI's X-Registry-Config grows with every registry it has credentials for.
     */
    private static final HttpDecoderConfig DECODER = new HttpDecoderConfig().setMaxHeaderSize(2 * 1024 * 1024);
    private final Channel channel;
    private final Path socket;
    private final EventLoopGroup group;
    private final ExecutorService workers;

    private ApiServer(Channel channel, Path socket, EventLoopGroup group, ExecutorService workers) {
        this.channel = channel;
        this.socket = socket;
        this.group = group;
        this.workers = workers;
    }

    public static ApiServer start(Path socket, Router router, BiConsumer<Exchange, Throwable> errors)
            throws IOException, InterruptedException {
        Files.createDirectories(socket.getParent());
        Files.deleteIfExists(socket);
        EventLoopGroup group = new EpollEventLoopGroup(1);
        ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(EpollServerDomainSocketChannel.class)
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<DomainSocketChannel>() {
                    @Override
                    protected void initChannel(DomainSocketChannel ch) {
                        ch.pipeline().addLast(new HttpRequestDecoder(DECODER), new HttpResponseEncoder(),
                                new HttpHandler(router, workers, errors));
                    }
                });
        Channel ch = bootstrap.bind(new DomainSocketAddress(socket.toFile())).sync().channel();
        secure(socket);
        return new ApiServer(ch, socket, group, workers);
    }

    private static void secure(Path socket) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
        try {
            GroupPrincipal berth = socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName("berth");
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(berth);
        } catch (UserPrincipalNotFoundException e) {
            // no "berth" group on this host: root alone may use the socket
        }
    }

    public Path socket() {
        return socket;
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        group.shutdownGracefully();
        workers.shutdownNow();
    }
}
