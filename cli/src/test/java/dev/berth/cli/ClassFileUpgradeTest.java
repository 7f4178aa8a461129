package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** picocli's Java 5 class files become Java 8 ones that the JVM verifies and runs. */
class ClassFileUpgradeTest {
    @TempDir
    Path dir;

    @Test
    void picocli_isRewrittenInAFormatTheVerifierAccepts() throws Exception {
        Path jar = dir.resolve("picocli.jar");
        Files.copy(Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI()), jar);
        assertThat(versions(jar)).anyMatch(v -> v < ClassFileUpgrade.OLDEST_LINKABLE);

        assertThat(ClassFileUpgrade.upgrade(jar)).isGreaterThan(100);

        assertThat(versions(jar)).allMatch(v -> v >= ClassFileUpgrade.OLDEST_LINKABLE);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            for (String name : classNames(jar)) {
                // Initializing links the class, which runs the type-checking verifier on its stack maps.
                assertThat(Class.forName(name, true, loader).getClassLoader()).isSameAs(loader);
            }
        }
        assertThat(ClassFileUpgrade.upgrade(jar)).as("a second run finds nothing to do").isZero();
    }

    private static List<Integer> versions(Path jar) throws IOException {
        List<Integer> versions = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            for (var e : file.stream().filter(e -> e.getName().endsWith(".class")).toList()) {
                versions.add(ClassFileUpgrade.majorVersion(file.getInputStream(e).readAllBytes()));
            }
        }
        return versions;
    }

    private static List<String> classNames(Path jar) throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(e -> e.getName())
                    .filter(n -> n.endsWith(".class") && !n.contains("-") && !n.startsWith("META-INF/"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.')).toList();
        }
    }
}
