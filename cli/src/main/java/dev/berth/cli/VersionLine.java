package dev.berth.cli;

/** {@code berth -v}: one line, like "Docker version 28.2.2, build e6534b4". */
final class VersionLine {
    private VersionLine() {
    }

    static int print(Cli cli) {
        cli.out().println("Berth version " + Main.VERSION + ", build berth");
        return 0;
    }
}
