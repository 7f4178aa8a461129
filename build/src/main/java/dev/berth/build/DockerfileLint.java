package dev.berth.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code build --check}: the course's best practices, checked on the Dockerfile without building it. Each finding is
 * reported as {@code WARNING: Rule - [line N] message}.
 */
public final class DockerfileLint {
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(password|passwd|secret|token|api_?key|private_?key).*");
    private static final Pattern APT_INSTALL = Pattern.compile("\\bapt(-get)?\\s+(-\\S+\\s+)*install\\b");
    private static final Pattern APT_UPDATE_ONLY = Pattern.compile("^\\s*apt(-get)?\\s+(-\\S+\\s+)*update(\\s+-\\S+)*\\s*$");
    private static final Pattern CREATED = Pattern.compile("(?:>>?|\\btouch)\\s*([^\\s;&|<>]+)");
    private static final Pattern REMOVED = Pattern.compile("\\brm\\s+(?:-\\S+\\s+)*([^;&|]+)");
    private static final Pattern ARCHIVE = Pattern.compile(".*\\.(tar|tar\\.gz|tgz|tar\\.bz2|tbz2|tar\\.xz|txz)$");

    private DockerfileLint() {}

    /** One finding. */
    public record Warning(String rule, int line, String message) {
        @Override
        public String toString() {
            return "WARNING: " + rule + " - [line " + line + "] " + message;
        }
    }

    public static List<Warning> check(Dockerfile dockerfile) {
        List<Warning> out = new ArrayList<>();
        Set<String> stageNames = new HashSet<>();
        List<Dockerfile.Stage> stages = dockerfile.stages();
        for (Instruction in : dockerfile.metaArgs()) {
            secretArg(in, out);
        }
        for (Dockerfile.Stage stage : stages) {
            String[] from = stage.from().args().split("\\s+");
            String image = from[0];
            if (!image.equals("scratch") && !stageNames.contains(image.toLowerCase(Locale.ROOT)) && !image.contains("@")
                    && !image.contains("$")) {
                String last = image.substring(image.lastIndexOf('/') + 1);
                if (!last.contains(":") || last.endsWith(":latest")) {
                    out.add(new Warning("FromLatestOrUntagged", stage.from().line(), "base image '" + image
                            + "' is untagged or uses latest: pin a version so that builds are repeatable"));
                }
            }
            if (from.length == 3) {
                stageNames.add(from[2].toLowerCase(Locale.ROOT));
            }
            Map<String, Integer> created = new HashMap<>();
            for (Instruction in : stage.body()) {
                switch (in.keyword()) {
                    case "RUN" -> run(in, created, out);
                    case "ADD" -> add(in, out);
                    case "ARG", "ENV" -> secretArg(in, out);
                    default -> { }
                }
                if ((in.keyword().equals("COPY") || in.keyword().equals("ADD")) && !in.isJson()) {
                    String[] words = in.args().split("\\s+");
                    created.put(words[words.length - 1], in.line());
                }
            }
        }
        if (!stages.isEmpty()) {
            Dockerfile.Stage last = stages.getLast();
            boolean user = last.body().stream().filter(i -> i.keyword().equals("USER")).reduce((a, b) -> b)
                    .map(i -> !i.args().strip().matches("root(:.*)?|0(:.*)?")).orElse(false);
            if (!user) {
                out.add(new Warning("NoUser", last.from().line(), "the image runs as root: add a USER instruction"));
            }
        }
        return out;
    }

    private static void run(Instruction in, Map<String, Integer> created, List<Warning> out) {
        String cmd = in.isJson() ? String.join(" ", in.json()) : in.args();
        if (APT_UPDATE_ONLY.matcher(cmd).matches()) {
            out.add(new Warning("AptUpdateAlone", in.line(), "apt-get update in a RUN of its own leaves a cached,"
                    + " stale package list: run it in the same RUN as apt-get install"));
        }
        if (APT_INSTALL.matcher(cmd).find() && !cmd.contains("/var/lib/apt/lists")) {
            out.add(new Warning("AptListsNotCleaned", in.line(), "apt-get install without rm -rf /var/lib/apt/lists/*"
                    + " in the same RUN keeps the package lists in the layer"));
        }
        Matcher rm = REMOVED.matcher(cmd);
        while (rm.find()) {
            for (String path : rm.group(1).strip().split("\\s+")) {
                Integer at = created.get(path);
                if (at != null) {
                    out.add(new Warning("SecretDeletedInLaterLayer", in.line(), "'" + path + "' was added at line " + at
                            + " and is deleted in a later layer: it is still in the image, in the earlier layer"));
                }
            }
        }
        Matcher c = CREATED.matcher(cmd);
        while (c.find()) {
            created.put(c.group(1), in.line());
        }
    }

    private static void add(Instruction in, List<Warning> out) {
        List<String> words = in.isJson() ? in.json() : List.of(in.args().split("\\s+"));
        for (String src : words.subList(0, Math.max(0, words.size() - 1))) {
            if (!src.contains("://") && !ARCHIVE.matcher(src).matches() && !src.startsWith("<<")) {
                out.add(new Warning("AddWhereCopyFits", in.line(), "ADD of the local file '" + src
                        + "': COPY does the same without ADD's surprises"));
            }
        }
    }

    private static void secretArg(Instruction in, List<Warning> out) {
        for (String word : ShellLex.rawWords(in.args(), '\\')) {
            String name = word.contains("=") ? word.substring(0, word.indexOf('=')) : word;
            if (SECRET_NAME.matcher(name).matches()) {
                out.add(new Warning("SecretInArgOrEnv", in.line(), in.keyword() + " '" + name + "' looks like a"
                        + " secret: its value is kept in the image's config or history; use a secret mount"));
                return;
            }
            if (in.keyword().equals("ENV") && !word.contains("=")) {
                return; // legacy "ENV key value": only the first word is a name
            }
        }
    }
}
