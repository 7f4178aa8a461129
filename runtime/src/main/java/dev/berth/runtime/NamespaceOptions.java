package dev.berth.runtime;

import dev.berth.linux.IdMap;
import java.nio.file.Path;

/**
 * How a container's namespaces differ from the default of new pid, ipc and uts namespaces and no user namespace:
 * sharing the host's ({@code --pid host}...), or a user namespace with {@code userns} (null: none), the one kept at
 * {@code usernsPath} if not null, else a new one.
 */
public record NamespaceOptions(boolean hostPid, boolean hostIpc, boolean hostUts, IdMap userns, Path usernsPath,
        boolean noNewPrivileges) {
    public static final NamespaceOptions DEFAULT = new NamespaceOptions(false, false, false, null, null, false);
}
