package dev.berth.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.api.client.DaemonHost;
import dev.berth.api.client.EngineClient;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * What every verb needs from its surroundings: the standard streams, the environment and the daemon client. Verbs get it
 * through their constructor (see {@link VerbFactory}) instead of reading globals, so tests can run a verb against a fake
 * daemon with captured output.
 */
public final class Cli {
    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;
    private final boolean stdinIsTerminal;
    private final boolean stdoutIsTerminal;
    private String hostFlag;
    private EngineClient client;

    public Cli(InputStream in, PrintStream out, PrintStream err, Map<String, String> env, boolean stdinIsTerminal,
            boolean stdoutIsTerminal) {
        this.in = in;
        this.out = out;
        this.err = err;
        this.env = env;
        this.stdinIsTerminal = stdinIsTerminal;
        this.stdoutIsTerminal = stdoutIsTerminal;
    }

    public InputStream in() {
        return in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public boolean stdinIsTerminal() {
        return stdinIsTerminal;
    }

    public boolean stdoutIsTerminal() {
        return stdoutIsTerminal;
    }

    void hostFlag(String host) {
        this.hostFlag = host;
    }

    /** The client is made on first use: --help and flag errors must not pay for Jackson or touch the socket. */
    public EngineClient client() {
        if (client == null) {
            DaemonHost host;
            try {
                host = DaemonHost.resolve(hostFlag, env);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), 1);
            }
            String version = env.get("DOCKER_API_VERSION");
            client = new EngineClient(host, version == null || version.isEmpty() ? null : version);
        }
        return client;
    }

    public ObjectMapper json() {
        return client().mapper();
    }
}
