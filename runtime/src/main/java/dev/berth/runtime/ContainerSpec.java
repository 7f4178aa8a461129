package dev.berth.runtime;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the engine decides for one container, in the engine's terms; {@link OciSpec} turns it into an OCI
 * {@code config.json}. Collections are copied, so a spec is immutable once built.
 *
 * @param id            the container id (64 hex characters); also the OCI runtime's container id
 * @param rootfs        the already-mounted root filesystem (the overlay's merged directory)
 * @param args          the process arguments, executable first (never empty)
 * @param env           {@code NAME=value} entries; PATH, HOSTNAME and, with a terminal, TERM are added when missing
 * @param cwd           the absolute working directory ("/" when the image says nothing)
 * @param user          the resolved process identity, see {@link UserResolver}
 * @param terminal      allocate a pseudo-terminal (Docker's {@code -t})
 * @param stdinOpen     keep stdin open (Docker's {@code -i})
 * @param hostname      the UTS hostname
 * @param network       the network namespace to use
 * @param mounts        bind and tmpfs mounts, applied after the default mounts (one at a default's destination replaces it)
 * @param readonlyRootfs mount the root filesystem read-only
 * @param privileged    all capabilities, no masked or read-only paths, /sys and cgroupfs writable
 * @param capAdd        capabilities to add, with or without the {@code CAP_} prefix, or "ALL"
 * @param capDrop       capabilities to drop, with or without the {@code CAP_} prefix, or "ALL"
 * @param resources     cgroup limits
 * @param shmSizeBytes  size of /dev/shm; 0 means Docker's default of 64 MiB
 * @param rlimits       resource limits; clamped to the daemon's own hard limits when written
 * @param sysctls       namespaced kernel parameters, e.g. {@code net.ipv4.ip_forward}
 * @param cgroupPath    the cgroupfs path, e.g. {@code /berth/<id>}
 */
public record ContainerSpec(
        String id,
        Path rootfs,
        List<String> args,
        List<String> env,
        String cwd,
        ProcessUser user,
        boolean terminal,
        boolean stdinOpen,
        String hostname,
        NetworkMode network,
        List<Mount> mounts,
        boolean readonlyRootfs,
        boolean privileged,
        Set<String> capAdd,
        Set<String> capDrop,
        Resources resources,
        long shmSizeBytes,
        List<Rlimit> rlimits,
        Map<String, String> sysctls,
        String cgroupPath) {

    public ContainerSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rootfs, "rootfs");
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("container " + id + ": no command specified");
        }
        args = List.copyOf(args);
        env = List.copyOf(env);
        cwd = cwd == null || cwd.isEmpty() ? "/" : cwd;
        if (!cwd.startsWith("/")) {
            throw new IllegalArgumentException("container " + id + ": the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
        }
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(network, "network");
        mounts = List.copyOf(mounts);
        capAdd = Set.copyOf(capAdd);
        capDrop = Set.copyOf(capDrop);
        Objects.requireNonNull(resources, "resources");
        if (shmSizeBytes < 0) {
            throw new IllegalArgumentException("container " + id + ": SHM size can not be less than 0");
        }
        rlimits = List.copyOf(rlimits);
        sysctls = Map.copyOf(sysctls);
        Objects.requireNonNull(cgroupPath, "cgroupPath");
    }

    /** A spec with Docker's defaults for everything but the essentials; the engine adjusts it with the {@code with} methods. */
    public static ContainerSpec of(String id, Path rootfs, List<String> args) {
        return new ContainerSpec(id, rootfs, args, List.of(), "/", ProcessUser.ROOT, false, false, id.substring(0, Math.min(12, id.length())),
                new NetworkMode.New(), List.of(), false, false, Set.of(), Set.of(), Resources.UNLIMITED, 0, List.of(), Map.of(),
                "/berth/" + id);
    }

    public ContainerSpec withEnv(List<String> newEnv) {
        return new ContainerSpec(id, rootfs, args, newEnv, cwd, user, terminal, stdinOpen, hostname, network, mounts, readonlyRootfs,
                privileged, capAdd, capDrop, resources, shmSizeBytes, rlimits, sysctls, cgroupPath);
    }

    public ContainerSpec withUser(ProcessUser newUser) {
        return new ContainerSpec(id, rootfs, args, env, cwd, newUser, terminal, stdinOpen, hostname, network, mounts, readonlyRootfs,
                privileged, capAdd, capDrop, resources, shmSizeBytes, rlimits, sysctls, cgroupPath);
    }

    public ContainerSpec withTerminal(boolean newTerminal, boolean newStdinOpen) {
        return new ContainerSpec(id, rootfs, args, env, cwd, user, newTerminal, newStdinOpen, hostname, network, mounts, readonlyRootfs,
                privileged, capAdd, capDrop, resources, shmSizeBytes, rlimits, sysctls, cgroupPath);
    }

    public ContainerSpec withNetwork(NetworkMode newNetwork) {
        return new ContainerSpec(id, rootfs, args, env, cwd, user, terminal, stdinOpen, hostname, newNetwork, mounts, readonlyRootfs,
                privileged, capAdd, capDrop, resources, shmSizeBytes, rlimits, sysctls, cgroupPath);
    }

    public ContainerSpec withMounts(List<? extends Mount> newMounts) {
        return new ContainerSpec(id, rootfs, args, env, cwd, user, terminal, stdinOpen, hostname, network, List.copyOf(newMounts), readonlyRootfs,
                privileged, capAdd, capDrop, resources, shmSizeBytes, rlimits, sysctls, cgroupPath);
    }

    public ContainerSpec withSecurity(boolean newPrivileged, Set<String> newCapAdd, Set<String> newCapDrop, boolean newReadonlyRootfs) {
        return new ContainerSpec(id, rootfs, args, env, cwd, user, terminal, stdinOpen, hostname, network, mounts, newReadonlyRootfs,
                newPrivileged, newCapAdd, newCapDrop, resources, shmSizeBytes, rlimits, sysctls, cgroupPath);
    }

    public ContainerSpec withLimits(Resources newResources, long newShmSizeBytes, List<Rlimit> newRlimits, Map<String, String> newSysctls) {
        return new ContainerSpec(id, rootfs, args, env, cwd, user, terminal, stdinOpen, hostname, network, mounts, readonlyRootfs,
                privileged, capAdd, capDrop, newResources, newShmSizeBytes, newRlimits, newSysctls, cgroupPath);
    }

    public ContainerSpec withProcess(String newCwd, String newHostname, String newCgroupPath) {
        return new ContainerSpec(id, rootfs, args, env, newCwd, user, terminal, stdinOpen, newHostname, network, mounts, readonlyRootfs,
                privileged, capAdd, capDrop, resources, shmSizeBytes, rlimits, sysctls, newCgroupPath);
    }

    /** The process identity inside the container. */
    public record ProcessUser(int uid, int gid, List<Integer> additionalGids) {
        public static final ProcessUser ROOT = new ProcessUser(0, 0, List.of());

        public ProcessUser {
            additionalGids = List.copyOf(additionalGids);
        }
    }

    /** Which network namespace the container joins. */
    public sealed interface NetworkMode {
        /** A fresh, empty network namespace (Docker's {@code none}, or {@code bridge} before the network driver sets it up). */
        record New() implements NetworkMode {}

        /** The host's network namespace (Docker's {@code --network host}). */
        record Host() implements NetworkMode {}

        /** An existing namespace, e.g. {@code /run/netns/berth-<id>} made by the network module. */
        record Existing(Path path) implements NetworkMode {}
    }

    /** A mount the container gets on top of the defaults. */
    public sealed interface Mount {
        String destination();
    }

    /**
     * A bind mount of a host file or directory at {@code destination}.
     *
     * @param propagation "rprivate" (the default), "private", "shared", "rshared", "slave" or "rslave"
     */
    public record BindMount(Path source, String destination, boolean readOnly, String propagation) implements Mount {
        public BindMount {
            Objects.requireNonNull(source, "source");
            if (destination == null || !destination.startsWith("/")) {
                throw new IllegalArgumentException("invalid mount config: mount path must be absolute: " + destination);
            }
            propagation = propagation == null || propagation.isEmpty() ? "rprivate" : propagation;
        }

        public BindMount(Path source, String destination, boolean readOnly) {
            this(source, destination, readOnly, "rprivate");
        }
    }

    /**
     * A tmpfs at {@code destination}; {@code data} holds the file system options ("size=64m,mode=1777"), after Docker's
     * defaults noexec, nosuid and nodev, which an option such as "exec" overrides.
     */
    public record TmpfsMount(String destination, String data) implements Mount {
        public TmpfsMount {
            if (destination == null || !destination.startsWith("/")) {
                throw new IllegalArgumentException("invalid mount config: mount path must be absolute: " + destination);
            }
            data = data == null ? "" : data;
        }
    }

    /**
     * cgroup limits; 0 means unlimited for each.
     *
     * @param memoryBytes memory limit ({@code --memory})
     * @param nanoCpus    CPU limit in billionths of a CPU ({@code --cpus 1.5} is 1_500_000_000)
     * @param pidsLimit   maximum number of processes ({@code --pids-limit})
     */
    public record Resources(long memoryBytes, long nanoCpus, long pidsLimit) {
        public static final Resources UNLIMITED = new Resources(0, 0, 0);
    }

    /**
     * A resource limit such as {@code nofile}, Docker's {@code --ulimit nofile=1024:2048}. Values are unsigned as in the kernel:
     * -1 means unlimited.
     */
    public record Rlimit(String name, long soft, long hard) {
        public Rlimit {
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw new IllegalArgumentException("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            }
        }
    }
}
