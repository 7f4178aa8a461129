package dev.berth.cli.build;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.api.client.ApiRequest;
import dev.berth.api.client.ApiResponse;
import dev.berth.cli.Cli;
import dev.berth.cli.CliException;
import dev.berth.cli.HelpOption;
import dev.berth.cli.format.Units;
import dev.berth.cli.image.Reference;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth build}: sends the context as a tar (streamed while it is written, honouring .dockerignore) to
 * POST /build and prints the classic builder's output as it arrives. A Dockerfile outside the context or from stdin
 * travels inside the tar under a generated name, as the docker CLI does. An http(s) URL is fetched by the daemon
 * ({@code remote=}). {@code --secret} values travel in the {@value #SECRETS_HEADER} request header (base64url of a
 * JSON object of base64 values by ID), which only berthd reads: Docker's BuildKit session has no equivalent on the
 * classic builder's API.
 */
@Command(name = "build", customSynopsis = "[OPTIONS] PATH | URL | -",
        description = "Build an image from a Dockerfile")
public final class BuildCommand implements Callable<Integer> {
    static final String SECRETS_HEADER = "X-Berth-Build-Secrets";
    /** BuildKit's limit for one secret. */
    private static final int MAX_SECRET = 500 * 1024;
    /** What the daemon's header limit leaves for all secrets together, encoded. */
    private static final int MAX_SECRETS_HEADER = 1024 * 1024;
    private final Cli cli;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Option(names = {"-t", "--tag"}, paramLabel = "list", description = "Name and optionally a tag in the \"name:tag\" format")
    List<String> tags = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "string", description = "Name of the Dockerfile (Default is \"PATH/Dockerfile\")")
    String file;

    @Option(names = "--build-arg", paramLabel = "list", description = "Set build-time variables")
    List<String> buildArgs = new ArrayList<>();

    @Option(names = "--label", paramLabel = "list", description = "Set metadata for an image")
    List<String> labels = new ArrayList<>();

    @Option(names = "--target", paramLabel = "string", description = "Set the target build stage to build.")
    String target;

    @Option(names = "--no-cache", description = "Do not use cache when building the image")
    boolean noCache;

    @Option(names = "--pull", description = "Always attempt to pull a newer version of the image")
    boolean pull;

    @Option(names = {"-q", "--quiet"}, description = "Suppress the build output and print image ID on success")
    boolean quiet;

    @Option(names = "--iidfile", paramLabel = "string", description = "Write the image ID to the file")
    String iidfile;

    @Option(names = "--network", paramLabel = "string", description = "Set the networking mode for the RUN instructions during build (default \"default\")")
    String network;

    @Option(names = "--platform", paramLabel = "string", description = "Set platform if server is multi-platform capable")
    String platform;

    @Option(names = "--progress", paramLabel = "string", description = "Set type of progress output (\"auto\", \"plain\"): \"plain\" explains cache misses")
    String progress;

    @Option(names = "--check", description = "Check the Dockerfile against best practices; build nothing")
    boolean check;

    @Option(names = "--secret", paramLabel = "stringArray", description = "Secret to expose to the build (format: \"id=mysecret[,src=/local/secret]\" or \"id=mysecret,env=VAR\")")
    List<String> secrets = new ArrayList<>();

    @Option(names = "--rm", arity = "0..1", fallbackValue = "true", description = "Remove intermediate containers after a successful build (default true)")
    boolean rm = true;

    @Parameters(arity = "0..*")
    List<String> args = List.of();

    public BuildCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() throws Exception {
        if (args.size() != 1) {
            throw new CliException("\"" + spec.root().name() + " build\" requires exactly 1 argument.\nSee '"
                    + spec.root().name() + " build --help'.\n\nUsage:  " + spec.root().name()
                    + " build [OPTIONS] PATH | URL | -\n\nBuild an image from a Dockerfile", 1);
        }
        for (String t : tags) {
            if (!Reference.split(t).valid()) {
                throw new CliException("invalid argument \"" + t + "\" for \"-t, --tag\" flag: invalid reference format", 1);
            }
        }
        String context = args.getFirst();
        if (context.startsWith("git@") || context.startsWith("git://") || context.endsWith(".git")) {
            throw new CliException("unable to prepare context: building from a git repository is not supported", 1);
        }
        boolean remote = context.startsWith("http://") || context.startsWith("https://");
        ApiRequest request = ApiRequest.post("/build");
        String encodedSecrets = secretsHeader();
        if (encodedSecrets != null) {
            request = request.header(SECRETS_HEADER, encodedSecrets);
        }
        Source source = remote ? new Source(file, out -> { }, false) : source(context);
        request = request.query("dockerfile", source.dockerfileName()).query("remote", remote ? context : null);
        for (String t : tags) {
            request = request.query("t", t);
        }
        ObjectNode args = cli.json().createObjectNode();
        for (String a : buildArgs) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                String env = cli.env().get(a);
                if (env == null) {
                    args.putNull(a);
                } else {
                    args.put(a, env);
                }
            } else {
                args.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        ObjectNode labelMap = cli.json().createObjectNode();
        for (String l : labels) {
            int eq = l.indexOf('=');
            labelMap.put(eq < 0 ? l : l.substring(0, eq), eq < 0 ? "" : l.substring(eq + 1));
        }
        request = request.query("buildargs", cli.json().writeValueAsString(args))
                .query("labels", cli.json().writeValueAsString(labelMap))
                .query("target", target)
                .query("nocache", noCache ? "1" : null)
                .query("pull", pull ? "1" : null)
                .query("q", quiet ? "1" : null)
                .query("rm", rm ? null : "0")
                .query("networkmode", network)
                .query("platform", platform)
                .query("progress", "plain".equals(progress) ? "plain" : null)
                .query("check", check ? "1" : null)
                .query("version", "1");
        PipedInputStream body = new PipedInputStream(256 * 1024);
        PipedOutputStream pipe = new PipedOutputStream(body);
        AtomicLong sent = new AtomicLong();
        AtomicReference<IOException> writeFailure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().start(() -> {
            try (OutputStream out = new Counting(pipe, sent)) {
                source.writer().write(out);
            } catch (IOException e) {
                writeFailure.set(e);
            }
        });
        String imageId = null;
        try (ApiResponse response = cli.client().send(request.stream("application/x-tar", body))) {
            writer.join();
            if (writeFailure.get() != null) {
                throw new CliException("error sending the build context: " + writeFailure.get().getMessage(), 1);
            }
            if (!quiet && source.announce()) {
                cli.out().println("Sending build context to Docker daemon  " + Units.humanSizeWithPrecision(sent.get(), 4));
            }
            imageId = print(response.body());
        } finally {
            writer.interrupt();
        }
        if (iidfile != null) {
            if (imageId == null) {
                throw new CliException("Server did not provide an image ID. Cannot write " + iidfile, 1);
            }
            Files.writeString(Path.of(iidfile), imageId);
        }
        return 0;
    }

    /**
     * The --secret values as the header carries them, or null when there are none. As buildx reads them: {@code src}
     * (or {@code source}) is a file, {@code env} an environment variable, and with neither the variable named like the
     * ID when it is set, else the file named like it.
     */
    private String secretsHeader() throws CliException {
        if (secrets.isEmpty()) {
            return null;
        }
        ObjectNode values = cli.json().createObjectNode();
        for (String spec : secrets) {
            String id = null;
            String path = null;
            String env = null;
            String type = null;
            for (String field : spec.split(",")) {
                int eq = field.indexOf('=');
                String key = eq < 0 ? field : field.substring(0, eq);
                String value = eq < 0 ? "" : field.substring(eq + 1);
                switch (key) {
                    case "type" -> {
                        if (!value.equals("path") && !value.equals("env")) {
                            throw new CliException("could not parse secrets: [" + spec + "]: unsupported secret type \""
                                    + value + "\"", 1);
                        }
                        type = value;
                    }
                    case "id" -> id = value;
                    case "source", "src" -> path = value;
                    case "env" -> env = value;
                    default -> throw new CliException("could not parse secrets: [" + spec + "]: unexpected key '" + key
                            + "' in '" + field + "'", 1);
                }
            }
            if ("env".equals(type) && env == null) {
                env = path;
                path = null;
            }
            if (id == null || id.isEmpty()) {
                id = path != null ? Path.of(path).getFileName().toString() : env;
            }
            if (id == null || id.isEmpty()) {
                throw new CliException("could not parse secrets: [" + spec + "]: secret ID missing", 1);
            }
            if (path == null && env == null) {
                if (cli.env().get(id) != null) {
                    env = id;
                } else {
                    path = id;
                }
            }
            byte[] value;
            if (env != null) {
                String v = cli.env().get(env);
                if (v == null) {
                    throw new CliException("could not parse secrets: [" + spec + "]: environment variable " + env
                            + " is not set", 1);
                }
                value = v.getBytes(StandardCharsets.UTF_8);
            } else {
                try {
                    value = Files.readAllBytes(Path.of(path));
                } catch (IOException e) {
                    throw new CliException("could not parse secrets: [" + spec + "]: failed to stat " + path
                            + ": no such path or directory", 1);
                }
            }
            if (value.length > MAX_SECRET) {
                throw new CliException("secret " + id + " too big. max size 500KB", 1);
            }
            values.put(id, java.util.Base64.getEncoder().encodeToString(value));
        }
        String header = java.util.Base64.getUrlEncoder().encodeToString(values.toString()
                .getBytes(StandardCharsets.UTF_8));
        if (header.length() > MAX_SECRETS_HEADER) {
            throw new CliException("secrets too big: at most 1MB in all, encoded", 1);
        }
        return header;
    }

    /** Prints the stream lines as they come; returns the image ID from the aux message. */
    private String print(InputStream stream) throws IOException {
        String id = null;
        JsonParser parser = cli.json().getFactory().createParser(stream);
        try (MappingIterator<JsonNode> it = cli.json().readValues(parser, JsonNode.class)) {
            while (it.hasNextValue()) {
                JsonNode m = it.nextValue();
                JsonNode error = m.get("errorDetail");
                if (error != null && error.hasNonNull("message")) {
                    cli.out().flush();
                    int code = error.path("code").asInt(0);
                    throw new CliException(error.get("message").asText(), code == 0 ? 1 : code);
                }
                if (m.hasNonNull("error")) {
                    throw new CliException(m.get("error").asText(), 1);
                }
                if (m.path("aux").hasNonNull("ID")) {
                    id = m.path("aux").path("ID").asText();
                } else if (m.hasNonNull("stream")) {
                    cli.out().print(m.get("stream").asText());
                    cli.out().flush();
                }
            }
        }
        return id;
    }

    /** What goes in the tar, and the Dockerfile name the daemon is told. */
    private record Source(String dockerfileName, ContextWriter writer, boolean announce) {}

    @FunctionalInterface
    private interface ContextWriter {
        void write(OutputStream out) throws IOException;
    }

    private Source source(String context) throws IOException {
        byte[] dockerfileFromStdin = "-".equals(file) ? cli.in().readAllBytes() : null;
        if (context.equals("-")) {
            if (dockerfileFromStdin != null) {
                throw new CliException("invalid argument: can't use stdin for both build context and dockerfile", 1);
            }
            BufferedInputStream in = new BufferedInputStream(cli.in());
            in.mark(512);
            byte[] head = in.readNBytes(512);
            in.reset();
            if (isArchive(head)) {
                return new Source(file, in::transferTo, false); // a context tar: sent as it is
            }
            byte[] dockerfile = in.readAllBytes(); // a Dockerfile alone: an empty context around it
            String name = generatedName();
            return new Source(name, out -> new ContextTar(emptyDir(), DockerIgnore.parse(""), List.of())
                    .write(out, name, dockerfile), false);
        }
        Path root = Path.of(context);
        if (!Files.isDirectory(root)) {
            throw new CliException("unable to prepare context: path \"" + context + "\" not found", 1);
        }
        root = root.toAbsolutePath().normalize();
        String name;
        byte[] extra = null;
        Path dockerfilePath;
        if (dockerfileFromStdin != null) {
            name = generatedName();
            extra = dockerfileFromStdin;
            dockerfilePath = null;
        } else {
            dockerfilePath = file == null ? root.resolve("Dockerfile") : Path.of(file).toAbsolutePath().normalize();
            if (file == null && !Files.exists(dockerfilePath) && Files.exists(root.resolve("dockerfile"))) {
                dockerfilePath = root.resolve("dockerfile");
            }
            if (!Files.isRegularFile(dockerfilePath)) {
                throw new CliException("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                        + dockerfilePath + ": no such file or directory", 1);
            }
            if (dockerfilePath.startsWith(root)) {
                name = root.relativize(dockerfilePath).toString();
            } else {
                name = generatedName();
                extra = Files.readAllBytes(dockerfilePath);
            }
        }
        Path ignoreFile = root.resolve(".dockerignore");
        if (dockerfilePath != null && Files.isRegularFile(Path.of(dockerfilePath + ".dockerignore"))) {
            ignoreFile = Path.of(dockerfilePath + ".dockerignore");
        }
        DockerIgnore ignore = DockerIgnore.parse(Files.isRegularFile(ignoreFile)
                ? Files.readString(ignoreFile, StandardCharsets.UTF_8) : "");
        ContextTar tar = new ContextTar(root, ignore, List.of(name, ".dockerignore"));
        byte[] extraBytes = extra;
        String extraName = name;
        return new Source(name, out -> tar.write(out, extraName, extraBytes), true);
    }

    private static boolean isArchive(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return true;
        }
        if (head.length >= 3 && head[0] == 'B' && head[1] == 'Z' && head[2] == 'h') {
            return true;
        }
        return head.length >= 262 && new String(head, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
    }

    private static String generatedName() {
        byte[] b = new byte[10];
        new java.security.SecureRandom().nextBytes(b);
        return ".dockerfile." + HexFormat.of().formatHex(b);
    }

    private static Path emptyDir() throws IOException {
        Path dir = Files.createTempDirectory("berth-build-");
        dir.toFile().deleteOnExit();
        return dir;
    }

    /** Counts what goes through, for "Sending build context to Docker daemon". */
    private static final class Counting extends FilterOutputStream {
        private final AtomicLong count;

        Counting(OutputStream out, AtomicLong count) {
            super(out);
            this.count = count;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count.addAndGet(len);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count.incrementAndGet();
        }
    }
}
