package dev.berth.cli;

import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * An archive the daemon streams ({@code save}, {@code export}, {@code volume export}), written to the {@code -o} file or
 * to stdout. The file is written under a temporary name and renamed into place at the end, as docker's atomic writer
 * does, so a failed download never leaves a partial archive under the name asked for.
 */
public final class TarDownload {
    private TarDownload() {}

    /** Docker refuses before asking the daemon anything: an archive on a terminal is garbage on the screen. */
    public static void refuseTerminal(Cli cli, String output) {
        if (output == null && cli.stdoutIsTerminal()) {
            throw new CliException("cowardly refusing to save to a terminal. Use the -o flag or redirect", 1);
        }
    }

    /**
     * Sends {@code request} and writes the body to {@code output} (null: stdout). A failure to write the file is reported
     * as {@code failure: cause}.
     */
    public static void write(Cli cli, ApiRequest request, String output, String failure) throws IOException {
        refuseTerminal(cli, output);
        try (ApiResponse response = cli.client().send(request)) {
            if (output == null) {
                response.body().transferTo(cli.out());
                cli.out().flush();
                return;
            }
            Path target = Path.of(output).toAbsolutePath();
            Path temp = Files.createTempFile(target.getParent(), ".docker_temp_", "");
            try {
                try (OutputStream out = Files.newOutputStream(temp)) {
                    response.body().transferTo(out);
                }
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new CliException(failure + ": " + e.getMessage(), 1);
            } finally {
                Files.deleteIfExists(temp);
            }
        }
    }
}
