package dev.berth.engine.containers;

import dev.berth.engine.EngineException;

/**
 * When a container that exited is started again (Docker's restartmanager): {@code no} never; {@code always} unless
 * the user stopped it; {@code unless-stopped} likewise, and also not when the daemon starts if the user had stopped
 * it; {@code on-failure[:max]} after a non-zero exit, at most {@code max} times (0: no limit).
 */
public record RestartPolicy(String name, int maxRetries) {
    public static final String NO = "no";
    public static final String ALWAYS = "always";
    public static final String UNLESS_STOPPED = "unless-stopped";
    public static final String ON_FAILURE = "on-failure";

    static RestartPolicy of(ContainerSettings s) {
        return new RestartPolicy(s.restartPolicy() == null || s.restartPolicy().isEmpty() ? NO : s.restartPolicy(),
                s.restartMaxRetries());
    }

    public boolean isNone() {
        return name.equals(NO);
    }

    /** Docker's ValidateRestartPolicy and the AutoRemove conflict, with their messages. */
    static void validate(String name, int maxRetries, boolean autoRemove) {
        switch (name == null ? "" : name) {
            case "", NO, ALWAYS, UNLESS_STOPPED -> {
                if (maxRetries != 0) {
                    throw new EngineException.InvalidArgument(
                            "invalid restart policy: maximum retry count can only be used with 'on-failure'"
                                    + (maxRetries < 0 ? " and cannot be negative" : ""));
                }
            }
            case ON_FAILURE -> {
                if (maxRetries < 0) {
                    throw new EngineException.InvalidArgument("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            default -> throw new EngineException.InvalidArgument("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (autoRemove && name != null && !name.isEmpty() && !name.equals(NO)) {
            throw new EngineException.InvalidArgument("can't create 'AutoRemove' container with restart policy");
        }
    }

    /** Whether a container that just exited is restarted; {@code restarts} is how often it already was. */
    boolean restartsAfterExit(int exitCode, boolean stoppedByUser, int restarts) {
        if (stoppedByUser) {
            return false;
        }
        return switch (name) {
            case ALWAYS, UNLESS_STOPPED -> true;
            case ON_FAILURE -> exitCode != 0 && (maxRetries == 0 || restarts < maxRetries);
            default -> false;
        };
    }

    /** Whether a stopped container is started when the daemon starts: as after an exit, except that
     * {@code always} ignores the user's stop. */
    boolean restartsOnDaemonStart(int exitCode, boolean stoppedByUser, int restarts) {
        return restartsAfterExit(exitCode, stoppedByUser && !name.equals(ALWAYS), restarts);
    }
}
