package dev.berth.network;

import java.io.Closeable;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Docker's userland proxy, for the one case firewall rules cannot serve: a published TCP port reached on the host's
 * IPv6 loopback address. netavark's DNAT rewrites {@code [::1]:port} to the container's address, but the kernel never
 * routes a packet from {@code ::1} out of the host (IPv6 has no {@code route_localnet}), so connections to
 * {@code [::1]:port} are accepted here and copied to the container. Every other address is left to the DNAT rules.
 * As Docker's rules do, one ip6tables rule keeps {@code ::1} out of the DNAT of locally made connections, which the
 * kernel would otherwise drop before they reach this proxy.
 */
public final class LoopbackProxy implements Closeable {
    private static final Logger LOG = Logger.getLogger(LoopbackProxy.class.getName());
    private static final int BUFFER = 64 * 1024;
    private static final List<String> EXEMPT_LOOPBACK = List.of("OUTPUT", "-d", "::1/128", "-p", "tcp", "-m", "comment",
            "--comment", "berth: [::1] published ports are served by a proxy", "-j", "RETURN");

    private final ServerSocketChannel server;
    private final InetSocketAddress target;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();

    private LoopbackProxy(ServerSocketChannel server, InetSocketAddress target) {
        this.server = server;
        this.target = target;
    }

    /** Listens on {@code [::1]:hostPort} and forwards each connection to {@code target} until closed. */
    public static LoopbackProxy start(int hostPort, InetSocketAddress target) throws IOException {
        exemptLoopbackFromNat();
        return listen(Inet6Address.ofLiteral("::1"), hostPort, target);
    }

    /**
     * Listens on {@code [::]:hostPort}, every IPv6 address of the host, for a container that has no IPv6 address: as
     * Docker's proxy does, IPv6 clients reach its IPv4 {@code target}. IPv4 connections to the port never get here: the
     * DNAT rules send them to the container first.
     */
    public static LoopbackProxy startForIpv4(int hostPort, InetSocketAddress target) throws IOException {
        return listen(Inet6Address.ofLiteral("::"), hostPort, target);
    }

    private static LoopbackProxy listen(InetAddress address, int hostPort, InetSocketAddress target)
            throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET6);
        try {
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            server.bind(new InetSocketAddress(address, hostPort));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        LoopbackProxy proxy = new LoopbackProxy(server, target);
        Thread.ofVirtual().name("loopback-proxy-" + hostPort).start(proxy::accept);
        return proxy;
    }

    /** Puts the exemption first in the nat table's OUTPUT chain, once: it holds for every port and every daemon. */
    private static synchronized void exemptLoopbackFromNat() throws IOException {
        if (ip6tables("-C") != 0 && ip6tables("-I") != 0) {
            throw new IOException("cannot exempt ::1 from the nat table's OUTPUT chain");
        }
    }

    private static int ip6tables(String verb) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ip6tables", "-w", "-t", "nat", verb));
        cmd.addAll(EXEMPT_LOOPBACK);
        if (verb.equals("-I")) {
            cmd.add(6, "1"); // the position, after the chain
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running ip6tables", e);
        }
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> forward(client));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void forward(SocketChannel client) {
        open.add(client);
        SocketChannel upstream = null;
        try {
            upstream = SocketChannel.open(target);
            open.add(upstream);
            SocketChannel up = upstream;
            Thread back = Thread.ofVirtual().start(() -> copy(up, client));
            copy(client, upstream);
            back.join();
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot reach " + target, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
        }
    }

    /** Copies until end of stream, then half-closes the other side; a failure ends the connection both ways. */
    private void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(SocketChannel c) {
        if (c == null) {
            return;
        }
        open.remove(c);
        try {
            c.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot close a proxied connection", e);
        }
    }

    /** Stops listening and ends the connections under way. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot close the proxy to " + target, e);
        }
        open.forEach(this::closeQuietly);
    }
}
