package dev.berth.engine.containers;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code docker exec} asked for (the Engine API's ExecConfig).
 *
 * @param user       "" for the container's user
 * @param workingDir "" for the container's working directory
 * @param env        NAME=value entries added to (or replacing) the container's
 * @param detachKeys Docker's syntax ("ctrl-p,ctrl-q"); null or "" for the default
 * @param consoleSize the client's terminal [rows, columns] at create, or empty
 */
public record ExecConfig(List<String> cmd, List<String> env, String user, String workingDir, boolean tty,
        boolean privileged, boolean attachStdin, boolean attachStdout, boolean attachStderr, String detachKeys,
        List<Integer> consoleSize) {
    public ExecConfig {
        consoleSize = consoleSize == null || consoleSize.size() != 2 ? List.of() : List.copyOf(consoleSize);
        cmd = cmd == null ? List.of() : List.copyOf(cmd);
        env = env == null ? List.of() : List.copyOf(env);
        user = user == null ? "" : user;
        workingDir = workingDir == null ? "" : workingDir;
    }

    /**
     * The process's environment, as moby builds it: CreateDaemonEnvironment (PATH, HOSTNAME, TERM=xterm with a terminal,
     * then the container's variables over them) and ReplaceOrAppendEnvValues with the exec's. A variable replaces one of
     * the same name where it stands; a bare NAME removes it.
     */
    static List<String> environment(ContainerSettings container, List<String> execEnv, boolean tty) {
        List<String> env = new ArrayList<>();
        env.add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        env.add("HOSTNAME=" + container.hostname());
        if (tty) {
            env.add("TERM=xterm");
        }
        env = replaceOrAppend(env, container.env() == null ? List.of() : container.env());
        return replaceOrAppend(env, execEnv);
    }

    private static List<String> replaceOrAppend(List<String> defaults, List<String> overrides) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<String> out = new ArrayList<>(defaults);
        for (int i = 0; i < out.size(); i++) {
            index.put(name(out.get(i)), i);
        }
        for (String value : overrides) {
            Integer at = index.get(name(value));
            if (value.indexOf('=') < 0) {
                if (at != null) {
                    out.set(at, null);
                }
            } else if (at != null) {
                out.set(at, value);
            } else {
                index.put(name(value), out.size());
                out.add(value);
            }
        }
        return out.stream().filter(java.util.Objects::nonNull).toList();
    }

    private static String name(String entry) {
        int eq = entry.indexOf('=');
        return eq < 0 ? entry : entry.substring(0, eq);
    }
}
