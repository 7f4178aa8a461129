package dev.berth.cli.container;

import dev.berth.api.client.ApiException;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * docker's pattern for verbs over several containers (stop, kill, rm, restart): try each, print the name on success,
 * keep going after failures, and fail at the end with every error, one per line.
 */
final class Batch {
    interface Action {
        void apply(String name) throws IOException;
    }

    private Batch() {
    }

    static int each(Cli cli, List<String> names, Action action) throws IOException {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                action.apply(name);
                cli.out().println(name);
            } catch (ApiException e) {
                errors.add("Error response from daemon: " + e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new CliException(String.join("\n", errors), 1);
        }
        return 0;
    }
}
