package dev.berth.engine.containers;

import java.util.List;
import java.util.Map;

/**
 * What a container was created with: the process, its environment and the limits around it. Immutable; {@code update}
 * and {@code rename} make a new record.
 *
 * @param cmd the command as given at create, or the image's when none was given
 * @param entrypoint the entrypoint as given, or the image's
 * @param networkMode "bridge", "host", "none", "container:NAME" or a network's name
 * @param memory bytes, 0 = unlimited
 * @param nanoCpus 1e9 per CPU, 0 = unlimited
 * @param pidsLimit null or &lt;= 0 = unlimited
 * @param restartPolicy "no", "always", "unless-stopped", "on-failure"
 * @param healthcheck null when neither the image nor the container has one
 * @param isolation the host namespaces it shares and its security options; null is {@link Isolation#DEFAULT}
 * @param networking published ports and endpoint settings; null in records written before networks existed
 * @param storage volumes, bind mounts and tmpfs mounts; null in records written before they existed
 */
public record ContainerSettings(
        String hostname,
        String domainname,
        String user,
        boolean attachStdin,
        boolean attachStdout,
        boolean attachStderr,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        List<String> env,
        List<String> cmd,
        List<String> entrypoint,
        String workingDir,
        Map<String, String> labels,
        List<String> exposedPorts,
        List<String> volumes,
        String stopSignal,
        Integer stopTimeout,
        String networkMode,
        boolean autoRemove,
        long memory,
        long nanoCpus,
        Long pidsLimit,
        long shmSize,
        String runtime,
        String restartPolicy,
        int restartMaxRetries,
        List<String> capAdd,
        List<String> capDrop,
        boolean privileged,
        boolean readonlyRootfs,
        String logDriver,
        Map<String, String> logOptions,
        Boolean init,
        List<String> dns,
        List<String> dnsSearch,
        List<String> dnsOptions,
        List<String> extraHosts,
        List<String> groupAdd,
        Map<String, String> sysctls,
        List<Integer> consoleSize,
        Healthcheck healthcheck,
        Isolation isolation,
        Networking networking,
        MountSettings storage) {

    public ContainerSettings {
        isolation = isolation == null ? Isolation.DEFAULT : isolation;
    }

    /** The same settings with the limits and restart policy {@code docker update} changes. */
    public ContainerSettings withUpdate(long newMemory, long newNanoCpus, Long newPidsLimit, String newRestartPolicy,
            int newRestartMaxRetries) {
        return new ContainerSettings(hostname, domainname, user, attachStdin, attachStdout, attachStderr, tty, openStdin,
                stdinOnce, env, cmd, entrypoint, workingDir, labels, exposedPorts, volumes, stopSignal, stopTimeout,
                networkMode, autoRemove, newMemory, newNanoCpus, newPidsLimit, shmSize, runtime, newRestartPolicy,
                newRestartMaxRetries, capAdd, capDrop, privileged, readonlyRootfs, logDriver, logOptions, init, dns,
                dnsSearch, dnsOptions, extraHosts, groupAdd, sysctls, consoleSize, healthcheck, isolation, networking,
                storage);
    }

    /** The same settings with {@code n} as their networking. */
    public ContainerSettings withNetworking(Networking n) {
        return new ContainerSettings(hostname, domainname, user, attachStdin, attachStdout, attachStderr, tty, openStdin,
                stdinOnce, env, cmd, entrypoint, workingDir, labels, exposedPorts, volumes, stopSignal, stopTimeout,
                networkMode, autoRemove, memory, nanoCpus, pidsLimit, shmSize, runtime, restartPolicy,
                restartMaxRetries, capAdd, capDrop, privileged, readonlyRootfs, logDriver, logOptions, init, dns,
                dnsSearch, dnsOptions, extraHosts, groupAdd, sysctls, consoleSize, healthcheck, isolation, n, storage);
    }

    /** The same settings with another environment. */
    public ContainerSettings withEnv(List<String> newEnv) {
        return new ContainerSettings(hostname, domainname, user, attachStdin, attachStdout, attachStderr, tty, openStdin,
                stdinOnce, newEnv, cmd, entrypoint, workingDir, labels, exposedPorts, volumes, stopSignal, stopTimeout,
                networkMode, autoRemove, memory, nanoCpus, pidsLimit, shmSize, runtime, restartPolicy,
                restartMaxRetries, capAdd, capDrop, privileged, readonlyRootfs, logDriver, logOptions, init, dns,
                dnsSearch, dnsOptions, extraHosts, groupAdd, sysctls, consoleSize, healthcheck, isolation, networking,
                storage);
    }

    /** The same settings with another network mode. */
    public ContainerSettings withNetworkMode(String mode) {
        return new ContainerSettings(hostname, domainname, user, attachStdin, attachStdout, attachStderr, tty, openStdin,
                stdinOnce, env, cmd, entrypoint, workingDir, labels, exposedPorts, volumes, stopSignal, stopTimeout,
                mode, autoRemove, memory, nanoCpus, pidsLimit, shmSize, runtime, restartPolicy,
                restartMaxRetries, capAdd, capDrop, privileged, readonlyRootfs, logDriver, logOptions, init, dns,
                dnsSearch, dnsOptions, extraHosts, groupAdd, sysctls, consoleSize, healthcheck, isolation, networking,
                storage);
    }

    /** The same settings with another hostname and domain name. */
    public ContainerSettings withHostname(String newHostname, String newDomainname) {
        return new ContainerSettings(newHostname, newDomainname, user, attachStdin, attachStdout, attachStderr, tty,
                openStdin, stdinOnce, env, cmd, entrypoint, workingDir, labels, exposedPorts, volumes, stopSignal,
                stopTimeout, networkMode, autoRemove, memory, nanoCpus, pidsLimit, shmSize, runtime, restartPolicy,
                restartMaxRetries, capAdd, capDrop, privileged, readonlyRootfs, logDriver, logOptions, init, dns,
                dnsSearch, dnsOptions, extraHosts, groupAdd, sysctls, consoleSize, healthcheck, isolation, networking,
                storage);
    }

    /** The same settings with other mounts. */
    public ContainerSettings withStorage(MountSettings newStorage) {
        return new ContainerSettings(hostname, domainname, user, attachStdin, attachStdout, attachStderr, tty, openStdin,
                stdinOnce, env, cmd, entrypoint, workingDir, labels, exposedPorts, volumes, stopSignal, stopTimeout,
                networkMode, autoRemove, memory, nanoCpus, pidsLimit, shmSize, runtime, restartPolicy,
                restartMaxRetries, capAdd, capDrop, privileged, readonlyRootfs, logDriver, logOptions, init, dns,
                dnsSearch, dnsOptions, extraHosts, groupAdd, sysctls, consoleSize, healthcheck, isolation, networking,
                newStorage);
    }

    /** The mounts, never null. */
    public MountSettings mounts() {
        return storage == null ? MountSettings.NONE : storage;
    }

    /** The network settings, never null. */
    public Networking net() {
        return networking == null ? Networking.NONE : networking;
    }

    /** The process to run: entrypoint followed by cmd. */
    public List<String> argv() {
        java.util.ArrayList<String> argv = new java.util.ArrayList<>();
        if (entrypoint != null) {
            argv.addAll(entrypoint);
        }
        if (cmd != null) {
            argv.addAll(cmd);
        }
        return argv;
    }
}
