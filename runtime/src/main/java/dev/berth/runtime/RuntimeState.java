package dev.berth.runtime;

import java.time.Instant;

/**
 * The OCI runtime's view of a container ({@code runc state}).
 *
 * @param status "created", "running", "paused" or "stopped"
 * @param pid    the container's init process on the host, 0 once stopped
 */
public record RuntimeState(String id, String status, long pid, String bundle, Instant created) {}
