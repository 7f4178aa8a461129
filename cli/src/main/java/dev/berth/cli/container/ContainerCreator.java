package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.cli.Cli;
import dev.berth.cli.image.PullCommand;
import java.io.IOException;

/** POST /containers/create, with docker's "Unable to find image" notice on a missing image and its warnings. */
final class ContainerCreator {
    private ContainerCreator() {
    }

    /** Returns the new container's full ID. */
    static String create(Cli cli, String name, String image, ObjectNode body) throws IOException {
        ApiRequest request = ApiRequest.post("/containers/create").query("name", name);
        JsonNode created;
        try {
            created = cli.client().postJson(request, body);
        } catch (ApiException e) {
            if (!e.isNotFound() || !e.getMessage().contains("No such image")) {
                throw e;
            }
            // as docker: the notice, the pull's progress on stderr, then the create again
            cli.err().println("Unable to find image '" + familiar(image) + "' locally");
            try {
                PullCommand.pull(cli, image, false, false, null, cli.err(), false);
            } catch (dev.berth.cli.CliException inBand) {
                throw new dev.berth.cli.CliException(inBand.getMessage(), 125); // docker run's status for a failed pull
            } catch (IOException | RuntimeException pullFailure) {
                throw pullFailure;
            } catch (Exception pullFailure) {
                throw new IOException(pullFailure.getMessage(), pullFailure);
            }
            created = cli.client().postJson(request, body);
        }
        for (JsonNode warning : created.path("Warnings")) {
            cli.err().println("WARNING: " + warning.asText());
        }
        return created.path("Id").asText();
    }

    /** "busybox" → "busybox:latest"; a reference with a tag or digest stays as written. */
    static String familiar(String image) {
        if (image.contains("@")) {
            return image;
        }
        int slash = image.lastIndexOf('/');
        return image.indexOf(':', slash + 1) >= 0 ? image : image + ":latest";
    }
}
