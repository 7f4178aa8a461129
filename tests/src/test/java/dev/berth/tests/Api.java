package dev.berth.tests;

import java.util.ArrayList;
import java.util.List;

/** Raw Engine API calls with curl over the daemon's socket, for what no CLI shows (exec inspect, stats JSON). */
final class Api {
    /** A reply: the HTTP status and the body. */
    record Reply(int status, String body) {}

    private Api() {}

    static Reply call(Daemon d, String method, String path, String jsonBody) {
        return call(d, method, path, jsonBody, 30);
    }

    /** With a time limit: a streamed reply is cut there and what arrived is returned. */
    static Reply call(Daemon d, String method, String path, String jsonBody, int maxSeconds) {
        List<String> cmd = new ArrayList<>(List.of("curl", "-s", "--max-time", Integer.toString(maxSeconds), "--unix-socket", d.socket.toString(),
                "-X", method, "-w", "\n%{http_code}"));
        if (jsonBody != null) {
            cmd.addAll(List.of("-H", "Content-Type: application/json", "-d", jsonBody));
        }
        cmd.add("http://localhost/v1.44" + path);
        Cli.Result r = Cli.run(new ProcessBuilder(cmd), null);
        String out = r.stdout();
        int nl = out.lastIndexOf('\n');
        return new Reply(Integer.parseInt(out.substring(nl + 1).strip()), out.substring(0, Math.max(0, nl)));
    }
}
