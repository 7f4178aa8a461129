package dev.berth.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** docker's confirmation prompt: the message, " [y/N] ", and a line of input; only "y" or "yes" (any case) agree. */
public final class Confirm {
    private Confirm() {}

    public static boolean ask(Cli cli, String message) throws IOException {
        cli.out().print(message + " [y/N] ");
        cli.out().flush();
        String answer = new BufferedReader(new InputStreamReader(cli.in(), StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
}
