package dev.berth.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

class EntryPathTest {
    @Test
    void clean_normalisesNamesInsideTheRoot() throws IOException {
        assertThat(EntryPath.clean("./usr/bin/")).isEqualTo("usr/bin");
        assertThat(EntryPath.clean("usr//lib/./x")).isEqualTo("usr/lib/x");
        assertThat(EntryPath.clean("a/b/../c")).isEqualTo("a/c");
        assertThat(EntryPath.clean("./")).isEmpty();
        assertThat(EntryPath.clean(".")).isEmpty();
    }

    @Test
    void clean_refusesNamesThatClimbOut() {
        assertThatThrownBy(() -> EntryPath.clean("../evil"))
                .hasMessage("invalid tar entry \"../evil\": path escapes the layer root");
        assertThatThrownBy(() -> EntryPath.clean("a/../../evil"))
                .hasMessage("invalid tar entry \"a/../../evil\": path escapes the layer root");
        assertThatThrownBy(() -> EntryPath.clean("./.."))
                .hasMessage("invalid tar entry \"./..\": path escapes the layer root");
    }

    @Test
    void clean_refusesAbsoluteNamesAndNul() {
        assertThatThrownBy(() -> EntryPath.clean("/etc/passwd"))
                .hasMessage("invalid tar entry \"/etc/passwd\": absolute path");
        assertThatThrownBy(() -> EntryPath.clean("a\0b")).hasMessageEndingWith(": NUL byte in path");
    }

    @Test
    void hardLinkTarget_mustStayInside() throws IOException {
        assertThat(EntryPath.hardLinkTarget("l", "./bin/../bin/sh")).isEqualTo("bin/sh");
        assertThatThrownBy(() -> EntryPath.hardLinkTarget("l", "../outside"))
                .hasMessage("invalid tar entry \"l\": hard link target \"../outside\" escapes the layer root");
        assertThatThrownBy(() -> EntryPath.hardLinkTarget("l", "/etc/shadow"))
                .hasMessage("invalid tar entry \"l\": hard link target \"/etc/shadow\" escapes the layer root");
        assertThatThrownBy(() -> EntryPath.hardLinkTarget("l", ".")).hasMessageContaining("escapes the layer root");
    }

    @Test
    void checkSymlink_resolvesRelativeTargetsFromTheLinksDirectory() {
        assertThatCode(() -> EntryPath.checkSymlink("usr/bin/sh", "usr/bin/sh", "../../bin/busybox")).doesNotThrowAnyException();
        assertThatCode(() -> EntryPath.checkSymlink("a/l", "a/l", "b/../../c")).doesNotThrowAnyException();
        assertThatThrownBy(() -> EntryPath.checkSymlink("usr/l", "usr/l", "../../etc"))
                .hasMessage("invalid tar entry \"usr/l\": symlink target \"../../etc\" escapes the layer root");
        assertThatThrownBy(() -> EntryPath.checkSymlink("l", "l", "..")).hasMessageContaining("escapes the layer root");
        assertThatThrownBy(() -> EntryPath.checkSymlink("l", "l", "x/../../y")).hasMessageContaining("escapes the layer root");
    }

    @Test
    void checkSymlink_acceptsAbsoluteTargets() {
        // resolved inside the container's root when used, never followed while unpacking
        assertThatCode(() -> EntryPath.checkSymlink("etc/mtab", "etc/mtab", "/proc/self/mounts")).doesNotThrowAnyException();
        assertThatCode(() -> EntryPath.checkSymlink("root", "root", "/")).doesNotThrowAnyException();
    }

    @Test
    void checkSymlink_refusesEmptyTargets() {
        assertThatThrownBy(() -> EntryPath.checkSymlink("l", "l", "")).hasMessage("invalid tar entry \"l\": empty symlink target");
    }
}
