package dev.berth.cli.image;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImagesCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000L);

    private static List<Map<String, String>> rows(String image, boolean digests) throws Exception {
        return ImagesCommand.rows(JSON.readTree(image), true, digests, NOW);
    }

    @Test
    void rows_onePerTagWithFamiliarNames() throws Exception {
        List<Map<String, String>> rows = rows("""
                {"Id":"sha256:ac4cc8797cc40048bbd3770e801a911238b37f39f03477b5e12659be242623dd","Created":1699999700,
                 "Size":1984132,"RepoTags":["busybox:latest","docker.io/user/app:v1"],"RepoDigests":[]}""", false);
        assertThat(rows).extracting(r -> r.get("Repository") + ":" + r.get("Tag"))
                .containsExactly("busybox:latest", "user/app:v1");
        assertThat(rows.get(0).get("ID")).isEqualTo("ac4cc8797cc4");
        assertThat(rows.get(0).get("Size")).isEqualTo("1.98MB");
        assertThat(rows.get(0).get("CreatedSince")).isEqualTo("5 minutes ago");
        assertThat(rows.get(0).get("Digest")).isEqualTo("<none>");
    }

    @Test
    void rows_untaggedImageIsNoneNone() throws Exception {
        List<Map<String, String>> rows = rows("{\"Id\":\"sha256:abc\",\"Created\":0,\"Size\":0,\"RepoTags\":[]}", false);
        assertThat(rows).singleElement().satisfies(r -> {
            assertThat(r.get("Repository")).isEqualTo("<none>");
            assertThat(r.get("Tag")).isEqualTo("<none>");
            assertThat(r.get("CreatedSince")).isEqualTo("N/A");
        });
    }

    @Test
    void rows_digestOnlyReferencesShowWithDigests() throws Exception {
        String image = """
                {"Id":"sha256:abc","Created":1,"Size":1,"RepoTags":[],
                 "RepoDigests":["alpine@sha256:1111"]}""";
        assertThat(rows(image, true)).singleElement().satisfies(r -> {
            assertThat(r.get("Repository")).isEqualTo("alpine");
            assertThat(r.get("Tag")).isEqualTo("<none>");
            assertThat(r.get("Digest")).isEqualTo("sha256:1111");
        });
    }

    @Test
    void reference_splitsAtTheTagColonOnly() {
        assertThat(Reference.split("localhost:5000/app")).isEqualTo(new Reference("localhost:5000/app", null));
        assertThat(Reference.split("app:1.0")).isEqualTo(new Reference("app", "1.0"));
        assertThat(Reference.split("Bad:x").valid()).isFalse();
    }
}
