package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TemplatesTest {
    @Test
    void unsetSlicesPrintAsGoPrintsNilSlices_unsetPointersAsNil() throws Exception {
        var container = new ObjectMapper().readTree("""
            {"Name":"/c1","NetworkSettings":{"Ports":{"80/tcp":null}},"Config":{"Entrypoint":null},
             "HostConfig":{"Binds":null,"Init":null}}""");
        assertThat(Templates.execute(Templates.parse("{{ .Name }} - {{ .NetworkSettings.Ports }}"), container))
                .isEqualTo("/c1 - map[80/tcp:[]]");
        assertThat(Templates.execute(Templates.parse("{{.Config.Entrypoint}} {{.HostConfig.Binds}} {{.HostConfig.Init}}"),
                container)).isEqualTo("[] [] <nil>");
    }
}
