package dev.berth.daemon.routes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.daemon.http.Exchange;
import dev.berth.daemon.http.Responses;
import dev.berth.daemon.http.Router;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.ContainerArchive;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** {@code HEAD/GET/PUT /containers/{id}/archive}: what {@code docker cp} calls. */
public final class ArchiveRoutes {
    static final String STAT_HEADER = "X-Docker-Container-Path-Stat";

    private final ContainerArchive archive;

    public ArchiveRoutes(ContainerArchive archive) {
        this.archive = archive;
    }

    public void register(Router r) {
        r.add("HEAD", "/containers/{id}/archive", (ex, p) -> {
            ContainerArchive.PathStat stat = archive.stat(p.getFirst(), path(ex));
            ex.send(200, null, new byte[0], List.of(STAT_HEADER, header(stat)));
        });
        r.add("GET", "/containers/{id}/archive", (ex, p) -> get(ex, p.getFirst()));
        r.add("PUT", "/containers/{id}/archive", (ex, p) -> {
            archive.put(p.getFirst(), path(ex), ex.body(), ex.queryBool("copyUIDGID", false));
            ex.sendEmpty(200);
        });
    }

    private void get(Exchange ex, String id) throws IOException {
        OutputStream[] out = {null};
        try {
            archive.get(id, path(ex), stat -> out[0] = ex.stream(200, "application/x-tar", List.of(STAT_HEADER, header(stat))));
        } finally {
            if (out[0] != null) {
                out[0].close();
            }
        }
    }

    private static String path(Exchange ex) {
        String path = ex.query("path");
        if (path == null || path.isEmpty()) {
            throw new EngineException.InvalidArgument("path must not be empty");
        }
        return path;
    }

    /** base64 (URL alphabet, as Go's base64.URLEncoding) of the JSON stat. */
    static String header(ContainerArchive.PathStat stat) {
        ObjectNode n = Responses.JSON.createObjectNode();
        n.put("name", stat.name());
        n.put("size", stat.size());
        n.put("mode", stat.mode());
        n.put("mtime", Times.rfc3339(stat.mtime()));
        n.put("linkTarget", stat.linkTarget());
        try {
            return Base64.getUrlEncoder().encodeToString(Responses.JSON.writeValueAsString(n)
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
