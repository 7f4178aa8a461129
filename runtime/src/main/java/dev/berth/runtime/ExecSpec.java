package dev.berth.runtime;

import java.util.List;
import java.util.Objects;

/**
 * An extra process to run in a running container ({@code docker exec}), in the runtime's terms. Everything not named here
 * (capabilities unless privileged, rlimits, no-new-privileges) is taken from the container's own process.
 *
 * @param args       the command, executable first (never empty)
 * @param env        the complete environment, {@code NAME=value}
 * @param cwd        absolute working directory
 * @param user       the resolved identity
 * @param terminal   allocate a pseudo-terminal
 * @param stdin      keep a stdin pipe (or the terminal) open for the attached client
 * @param privileged every capability the daemon itself has, as {@code docker exec --privileged}
 * @param consoleHeight the terminal's rows at start (0: the runtime's default), so the first output is laid out right
 * @param consoleWidth  the terminal's columns at start
 */
public record ExecSpec(List<String> args, List<String> env, String cwd, ContainerSpec.ProcessUser user, boolean terminal,
        boolean stdin, boolean privileged, int consoleHeight, int consoleWidth) {
    public ExecSpec {
        if (args == null || args.isEmpty()) {
            throw new IllegalArgumentException("No exec command specified");
        }
        args = List.copyOf(args);
        env = List.copyOf(env);
        Objects.requireNonNull(user, "user");
        if (cwd == null || !cwd.startsWith("/")) {
            throw new IllegalArgumentException("the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
        }
    }
}
