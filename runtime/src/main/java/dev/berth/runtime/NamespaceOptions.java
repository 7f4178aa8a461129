package dev.berth.runtime;

import dev.berth.linux.IdMap;

/**
 * How a container's namespaces differ from the default of new pid, ipc and uts namespaces and no user namespace:
 * sharing the host's ({@code --pid host}...), or a new user namespace with {@code userns} (null: none).
 */
public record NamespaceOptions(boolean hostPid, boolean hostIpc, boolean hostUts, IdMap userns, boolean noNewPrivileges) {
    public static final NamespaceOptions DEFAULT = new NamespaceOptions(false, false, false, null, false);
}
