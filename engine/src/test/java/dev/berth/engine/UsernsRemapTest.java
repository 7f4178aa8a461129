package dev.berth.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.linux.IdMap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsernsRemapTest {
    @TempDir
    Path etc;

    @Test
    void namedUser_rangesInFileOrder_byNameOrId() throws IOException {
        Files.writeString(etc.resolve("passwd"), "root:x:0:0::/root:/bin/sh\nalice:x:1001:1001::/home/alice:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nstaff:x:50:\n");
        Files.writeString(etc.resolve("subuid"), "bob:300000:65536\nalice:200000:1000\n1001:500000:64536\n");
        Files.writeString(etc.resolve("subgid"), "staff:400000:65536\n");

        IdMap map = UsernsRemap.resolve("alice:staff", etc).orElseThrow();

        assertThat(map.uids()).containsExactly(new IdMap.Range(0, 200000, 1000), new IdMap.Range(1000, 500000, 64536));
        assertThat(map.gids()).containsExactly(new IdMap.Range(0, 400000, 65536));
        assertThat(map.hostUid(0)).isEqualTo(200000);
        assertThat(map.hostUid(1000)).isEqualTo(500000);
        assertThat(map.containerUid(500001)).isEqualTo(1001);
        assertThat(map.containerUid(0)).isEqualTo(-1);
        assertThat(map.hostGid(65536)).isEqualTo(-1);
        assertThat(UsernsRemap.resolve("", etc)).isEmpty();
    }

    @Test
    void userWithoutRanges_isRefusedInDockersWords() throws IOException {
        Files.writeString(etc.resolve("subuid"), "bob:300000:65536\n");
        Files.writeString(etc.resolve("subgid"), "bob:300000:65536\n");

        assertThatThrownBy(() -> UsernsRemap.resolve("carol", etc))
                .hasMessage("Can't create ID mappings: No subuid ranges found for user \"carol\"");
        assertThatThrownBy(() -> UsernsRemap.resolve("bob:carol", etc))
                .hasMessage("Can't create ID mappings: No subgid ranges found for group \"carol\"");
    }

    @Test
    void procFormat_andKey() {
        IdMap map = new IdMap(java.util.List.of(new IdMap.Range(0, 100000, 65536)),
                java.util.List.of(new IdMap.Range(0, 100000, 65536)));
        assertThat(IdMap.procFormat(map.uids())).isEqualTo("0 100000 65536\n");
        assertThat(map.key()).isEqualTo("100000-65536");
    }
}
