package dev.berth.tests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Build context directories for the build tests: file name to content, parents created. */
final class Contexts {
    private Contexts() {}

    static Path make(Path base, String name, Map<String, String> files) {
        try {
            Path dir = Files.createDirectories(base.resolve(name));
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path p = dir.resolve(f.getKey());
                Files.createDirectories(p.getParent());
                Files.writeString(p, f.getValue());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
