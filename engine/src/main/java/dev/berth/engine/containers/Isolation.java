package dev.berth.engine.containers;

import java.util.List;

/**
 * Which of the host's namespaces a container shares, and its security options: Docker's {@code --pid}, {@code --ipc},
 * {@code --uts}, {@code --userns} ("host" or "" each) and {@code --security-opt}.
 */
public record Isolation(String pidMode, String ipcMode, String utsMode, String usernsMode, List<String> securityOpt) {
    public static final Isolation DEFAULT = new Isolation("", "", "", "", List.of());

    public Isolation {
        pidMode = orEmpty(pidMode);
        ipcMode = orEmpty(ipcMode);
        utsMode = orEmpty(utsMode);
        usernsMode = orEmpty(usernsMode);
        securityOpt = securityOpt == null ? List.of() : List.copyOf(securityOpt);
    }

    /** Docker's checks of a create request, in its words. */
    public void validate() {
        mode("pid", pidMode);
        mode("ipc", ipcMode);
        mode("uts", utsMode);
        mode("userns", usernsMode);
        for (String opt : securityOpt) {
            int sep = opt.indexOf('=') >= 0 ? opt.indexOf('=') : opt.indexOf(':');
            String key = sep < 0 ? opt : opt.substring(0, sep);
            if (!List.of("seccomp", "apparmor", "label", "no-new-privileges", "systempaths").contains(key)) {
                throw new dev.berth.engine.EngineException.InvalidArgument("invalid --security-opt 2: \"" + opt + "\"");
            }
        }
    }

    public boolean hostPid() {
        return pidMode.equals("host");
    }

    public boolean hostIpc() {
        return ipcMode.equals("host");
    }

    public boolean hostUts() {
        return utsMode.equals("host");
    }

    public boolean hostUserns() {
        return usernsMode.equals("host");
    }

    /** {@code --security-opt no-new-privileges[=true|:true]}: the process cannot gain privileges through exec. */
    public boolean noNewPrivileges() {
        return securityOpt.stream().anyMatch(o -> o.equals("no-new-privileges") || o.equals("no-new-privileges=true")
                || o.equals("no-new-privileges:true"));
    }

    private static void mode(String what, String value) {
        // "private", "shareable" and "" are the defaults; container:<name> modes are not supported
        if (!value.isEmpty() && !value.equals("host") && !value.equals("private") && !value.equals("shareable")) {
            throw new dev.berth.engine.EngineException.InvalidArgument("invalid " + what + " mode: " + value);
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
