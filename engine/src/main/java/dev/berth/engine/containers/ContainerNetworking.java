package dev.berth.engine.containers;

import dev.berth.runtime.ContainerSpec;
import java.nio.file.Path;
import java.util.List;

/**
 * What the lifecycle needs from the networks: an endpoint when a container is created, its namespace wired when it
 * starts, everything undone when it stops or goes. Implementations make {@link #tearDown} safe to call at any time,
 * on any container, any number of times.
 */
public interface ContainerNetworking {
    /**
     * The namespace a starting container joins, and what its {@code /etc/hosts} and {@code resolv.conf} need.
     * {@code addresses} are those {@code /etc/hosts} names the container by: its first network's IPv4, then IPv6
     * address. {@code ready} (null: already) completes when the namespace is wired; its process must not start before.
     * {@code joined} (null: none) is the container whose namespace it shares ({@code --network container:NAME}), whose
     * {@code /etc/hostname}, {@code /etc/hosts} and {@code resolv.conf} it uses too, as Docker's.
     */
    record Setup(ContainerSpec.NetworkMode mode, List<String> addresses, List<String> nameservers, String hostGateway,
            java.util.concurrent.CompletableFuture<Void> ready, Container joined) {
        public Setup(ContainerSpec.NetworkMode mode, List<String> addresses, List<String> nameservers,
                String hostGateway, java.util.concurrent.CompletableFuture<Void> ready) {
            this(mode, addresses, nameservers, hostGateway, ready, null);
        }

        /** Waits until the namespace is wired; its failure as an IOException. */
        public void awaitReady() throws java.io.IOException {
            if (ready == null) {
                return;
            }
            try {
                ready.get();
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
                throw new java.io.IOException(cause.getMessage(), cause);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.IOException("interrupted while the network was set up", e);
            }
        }
    }

    /** Checks the container's network settings and records its endpoint on the network it is created on. */
    void join(Container c);

    /**
     * Creates the namespace, addresses, veths, firewall rules and DNS names; on failure leaves nothing behind. The
     * namespace belongs to the user namespace kept at {@code userns} when not null (a container in one must be able to
     * enter its own network namespace).
     */
    Setup setUp(Container c, Path userns) throws Lifecycle.StartFailure;

    /** Undoes {@link #setUp}; may finish after returning, but before the same container's next {@link #setUp}. */
    void tearDown(String containerId);

    /** Undoes {@link #setUp} and forgets the container's endpoints (it is being removed); may finish later too. */
    void forget(String containerId);

    /** Containers without networks (unit tests, tools). */
    ContainerNetworking NONE = new ContainerNetworking() {
        @Override
        public void join(Container c) {}

        @Override
        public Setup setUp(Container c, Path userns) {
            return new Setup("host".equals(c.settings().networkMode()) ? new ContainerSpec.NetworkMode.Host()
                    : new ContainerSpec.NetworkMode.New(), List.of(), List.of(), null, null);
        }

        @Override
        public void tearDown(String containerId) {}

        @Override
        public void forget(String containerId) {}
    };
}
