package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.runtime.UserResolver.ResolvedUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
    @TempDir
    Path root;

    @BeforeEach
    void writeImageFiles() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
                www:x:33:33:www-data:/var/www:/bin/sh
                42:x:1042:1042:numeric name:/home/n:/bin/sh
                broken line
                """);
        Files.writeString(root.resolve("etc/group"), """
                root:x:0:
                daemon:x:1:www
                www:x:33:
                staff:x:50:www,daemon
                """);
    }

    @Test
    void empty_isRootWithItsGroups() throws Exception {
        assertThat(UserResolver.resolve(root, "")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/root"));
        assertThat(UserResolver.resolve(root, null).uid()).isZero();
    }

    @Test
    void name_usesPasswdAndSupplementaryGroups() throws Exception {
        assertThat(UserResolver.resolve(root, "www")).isEqualTo(new ResolvedUser(33, 33, List.of(1, 50), "/var/www"));
    }

    @Test
    void numericUser_isAUidEvenIfANameMatches() throws Exception {
        assertThat(UserResolver.resolve(root, "42")).isEqualTo(new ResolvedUser(42, 0, List.of(), "/"));
        assertThat(UserResolver.resolve(root, "33").gid()).isEqualTo(33);
    }

    @Test
    void numericIdsWithoutEntries_areAllowed() throws Exception {
        assertThat(UserResolver.resolve(root, "1234:5678")).isEqualTo(new ResolvedUser(1234, 5678, List.of(), "/"));
    }

    @Test
    void explicitGroup_replacesGidAndDropsSupplementaryGroups() throws Exception {
        assertThat(UserResolver.resolve(root, "www:staff")).isEqualTo(new ResolvedUser(33, 50, List.of(), "/var/www"));
        assertThat(UserResolver.resolve(root, "daemon:0")).isEqualTo(new ResolvedUser(1, 0, List.of(), "/usr/sbin"));
    }

    @Test
    void unknownNames_failWithDockersMessages() {
        assertThatThrownBy(() -> UserResolver.resolve(root, "foo"))
                .isInstanceOf(UserLookupException.class)
                .hasMessage("unable to find user foo: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(root, "www:nogroup"))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void missingFiles_allowOnlyNumericIds(@TempDir Path empty) throws Exception {
        assertThat(UserResolver.resolve(empty, "")).isEqualTo(new ResolvedUser(0, 0, List.of(), "/"));
        assertThat(UserResolver.resolve(empty, "7:8")).isEqualTo(new ResolvedUser(7, 8, List.of(), "/"));
        assertThatThrownBy(() -> UserResolver.resolve(empty, "www")).isInstanceOf(UserLookupException.class);
    }

    @Test
    void symlinkedPasswd_staysInsideTheRootfs(@TempDir Path image, @TempDir Path host) throws Exception {
        Files.writeString(host.resolve("passwd"), "hostuser:x:999:999::/:/bin/sh\n");
        Files.createDirectories(image.resolve("etc"));
        Files.createDirectories(image.resolve("data"));
        Files.writeString(image.resolve("data/passwd"), "imageuser:x:500:500::/home/i:/bin/sh\n");
        // An absolute target means the image's /data/passwd, not the host's file of that name.
        Files.createSymbolicLink(image.resolve("etc/passwd"), Path.of("/data/passwd"));
        Files.createSymbolicLink(image.resolve("data/escape"), Path.of("../../../../../../" + host.resolve("passwd")));

        assertThat(UserResolver.resolve(image, "imageuser").uid()).isEqualTo(500);
        assertThat(ScopedPath.resolve(image, "/data/escape")).isEqualTo(image.resolve(host.resolve("passwd").toString().substring(1)));
    }
}
