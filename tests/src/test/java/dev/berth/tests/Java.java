package dev.berth.tests;

import java.nio.file.Path;
import java.util.List;

/** How to start another JVM on the code under test (the test class path holds the daemon and the CLI). */
final class Java {
    private Java() {}

    static List<String> command() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"));
    }
}
