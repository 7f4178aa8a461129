package dev.berth.cli.container;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.api.client.ApiException;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Args;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth cp}: copies between a container and the host with docker/cli's rules (cli/command/container/cp.go): the
 * daemon sends or receives a tar whose top entry is the base name of the source; this side renames that entry when the
 * destination does not exist, and extracts into it when it is a directory. "-" is a tar stream on stdin or stdout.
 */
@Command(name = "cp", customSynopsis = "[OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tberth cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH",
        description = "Copy files/folders between a container and the local filesystem")
public final class CpCommand implements Callable<Integer> {
    private static final long GO_DIR = 1L << 31;
    private static final long GO_SYMLINK = 1L << 27;

    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-q", "--quiet"}, description = "Suppress progress output during copy")
    boolean quiet;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public CpCommand(Cli cli) {
        this.cli = cli;
    }

    /** docker/cli splitCpArg: an absolute path or one starting with "." is local, else "container:path" if a colon. */
    static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) {
            return new String[] {null, arg};
        }
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            return new String[] {null, arg};
        }
        return new String[] {arg.substring(0, colon), arg.substring(colon + 1)};
    }

    @Override
    public Integer call() throws Exception {
        Args.exactly(spec, args, 2);
        String[] src = split(args.get(0));
        String[] dst = split(args.get(1));
        if (src[0] == null && dst[0] == null) {
            throw new CliException("must specify at least one container source", 1);
        }
        if (src[0] != null && dst[0] != null) {
            throw new CliException("copying between containers is not supported", 1);
        }
        if ((src[0] != null ? src[1] : dst[1]).isEmpty()) {
            throw new CliException("filepath can not be empty", 1);
        }
        try {
            if (src[0] != null) {
                fromContainer(src[0], src[1], dst[1]);
            } else {
                toContainer(src[1], dst[0], dst[1]);
            }
        } catch (ApiException e) {
            throw new CliException("Error response from daemon: " + e.getMessage(), 1);
        }
        return 0;
    }

    private String archivePath(String container) {
        return "/containers/" + ApiRequest.segment(container) + "/archive";
    }

    private JsonNode stat(String container, String path) throws IOException {
        try (ApiResponse r = cli.client().send(ApiRequest.head(archivePath(container)).query("path", path))) {
            return decode(r.header("X-Docker-Container-Path-Stat"));
        }
    }

    private JsonNode decode(String header) throws IOException {
        if (header == null || header.isEmpty()) {
            return cli.json().createObjectNode();
        }
        return cli.json().readTree(new String(Base64.getUrlDecoder().decode(header), StandardCharsets.UTF_8));
    }

    private void fromContainer(String container, String srcPath, String dest) throws IOException {
        String path = srcPath;
        if (followLink) {
            JsonNode st = stat(container, path);
            if ((st.path("mode").asLong() & GO_SYMLINK) != 0) {
                String target = st.path("linkTarget").asText();
                path = target.startsWith("/") ? target : parent(path) + "/" + target;
            }
        }
        try (ApiResponse r = cli.client().send(ApiRequest.get(archivePath(container)).query("path", path))) {
            if (dest.equals("-")) {
                r.body().transferTo(cli.out());
                cli.out().flush();
                return;
            }
            JsonNode st = decode(r.header("X-Docker-Container-Path-Stat"));
            String name = st.path("name").asText();
            boolean srcIsDir = (st.path("mode").asLong() & GO_DIR) != 0;
            Path target = Path.of(dest).toAbsolutePath();
            if (Files.isDirectory(target)) {
                CpTar.extract(r.body(), target, null, null, archive);
                return;
            }
            if (dest.endsWith("/") && !Files.exists(target)) {
                throw new CliException("destination directory \"" + dest + "\" must exist", 1);
            }
            if (srcIsDir && Files.exists(target)) {
                throw new CliException("cannot copy directory to file", 1);
            }
            if (!Files.isDirectory(target.getParent())) {
                throw new CliException("destination directory \"" + target.getParent() + "\" must exist", 1);
            }
            // rename the top entry to the destination's name
            CpTar.extract(r.body(), target.getParent(), name, target.getFileName().toString(), archive);
        }
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "" : path.substring(0, slash);
    }

    private void toContainer(String src, String container, String destPath) throws IOException {
        if (src.equals("-")) {
            cli.client().call(ApiRequest.put(archivePath(container)).query("path", destPath)
                    .query("noOverwriteDirNonDir", "true").query("copyUIDGID", archive ? "true" : null)
                    .stream("application/x-tar", cli.in()));
            return;
        }
        Path local = Path.of(src).toAbsolutePath();
        if (followLink) {
            local = local.toRealPath();
        }
        if (!Files.exists(local, LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException("stat " + src + ": no such file or directory", 1);
        }
        boolean contents = src.endsWith("/.");
        boolean srcIsDir = Files.isDirectory(local, LinkOption.NOFOLLOW_LINKS);
        JsonNode dst = null;
        try {
            dst = stat(container, destPath);
        } catch (ApiException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        String dir;
        String name;
        boolean dstIsDir = dst != null && ((dst.path("mode").asLong() & GO_DIR) != 0
                || (dst.path("mode").asLong() & GO_SYMLINK) != 0 && destPath.endsWith("/"));
        if (dst != null && (dst.path("mode").asLong() & GO_SYMLINK) != 0 && !dstIsDir) {
            dstIsDir = isDirAfterLink(container, destPath, dst);
        }
        if (dstIsDir) {
            dir = destPath;
            name = contents ? "." : local.getFileName().toString();
        } else if (dst != null) {
            if (srcIsDir) {
                throw new CliException("cannot copy directory to file", 1);
            }
            dir = parent(stripSlash(destPath));
            name = baseName(destPath);
        } else {
            if (destPath.endsWith("/")) {
                throw new CliException("destination directory \"" + destPath + "\" must exist", 1);
            }
            dir = parent(stripSlash(destPath));
            name = baseName(destPath);
        }
        Path from = local;
        String entryName = name;
        PipedInputStream in = new PipedInputStream(1 << 16);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<IOException> failure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (out) {
                CpTar.write(from, entryName, out);
            } catch (IOException e) {
                failure.set(e);
            }
        });
        try (in) {
            cli.client().call(ApiRequest.put(archivePath(container)).query("path", dir.isEmpty() ? "/" : dir)
                    .query("noOverwriteDirNonDir", "true").query("copyUIDGID", archive ? "true" : null)
                    .stream("application/x-tar", in));
        } finally {
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    private boolean isDirAfterLink(String container, String destPath, JsonNode st) throws IOException {
        String target = st.path("linkTarget").asText();
        String resolved = target.startsWith("/") ? target : parent(destPath) + "/" + target;
        try {
            return (stat(container, resolved).path("mode").asLong() & GO_DIR) != 0;
        } catch (ApiException e) {
            return false;
        }
    }

    private static String stripSlash(String p) {
        String s = p;
        while (s.length() > 1 && s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static String baseName(String p) {
        String s = stripSlash(p);
        return s.substring(s.lastIndexOf('/') + 1);
    }
}
