package dev.berth.cli.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonModelTest {
    private static final String INSPECT = """
        {"Id":"3aa5f018d45a","State":{"Status":"running","Running":true,"Pid":42,"Health":null},
         "Config":{"Labels":{"z":"last","a":"first"},"Env":["A=1","B=2"],"ExposedPorts":{"80/tcp":{}}},
         "NetworkSettings":{"Ports":{"80/tcp":[{"HostIp":"0.0.0.0","HostPort":"8080"}],"443/tcp":null},
           "Networks":{"bridge":{"IPAddress":"172.17.0.2"}}},
         "Mounts":[{"Type":"bind","Name":"","Source":"/data","Destination":"/usr/share/nginx/html",
           "Driver":"","Mode":"","RW":true,"Propagation":"rprivate"}],
         "HostConfig":{"Binds":null,"Tmpfs":null},
         "SizeRw":1.5}""";

    private static final JsonModel CONTAINER = JsonModel.mapsAt("Config.Labels", "Config.ExposedPorts",
        "NetworkSettings.Ports", "NetworkSettings.Networks", "HostConfig.Tmpfs")
        .withSlicesAt("NetworkSettings.Ports.*", "HostConfig.Binds")
        .withTypeNames(path -> path.isEmpty() ? "types.ContainerJSON" : "struct");

    private static JsonNode json() throws Exception {
        return new ObjectMapper().readTree(INSPECT);
    }

    private static String inspect(String template) throws Exception {
        return CONTAINER.inspect(Template.parse(template), json());
    }

    @Test
    void objectsBecomeStructsOrMapsByPath() throws Exception {
        Object model = CONTAINER.convert(json());
        assertThat(model).isInstanceOf(GoStruct.class);
        GoStruct root = (GoStruct) model;
        assertThat(((GoStruct) root.get("Config")).get("Labels")).isInstanceOf(Map.class);
        assertThat(root.get("Mounts")).isInstanceOf(List.class);
        assertThat(((GoStruct) root.get("State")).get("Pid")).isEqualTo(42L);
        assertThat(root.get("SizeRw")).isEqualTo(1.5);
    }

    @Test
    void inspectFormatsLikeDocker() throws Exception {
        assertThat(inspect("{{.Mounts}}")).isEqualTo("[{bind  /data /usr/share/nginx/html   true rprivate}]");
        assertThat(inspect("{{.State.Status}} {{.State.Pid}} {{.State.Running}}")).isEqualTo("running 42 true");
        assertThat(inspect("{{.Config.Labels}}")).isEqualTo("map[a:first z:last]");
        assertThat(inspect("{{.Config.Env}}")).isEqualTo("[A=1 B=2]");
        assertThat(inspect("{{.Config.ExposedPorts}}")).isEqualTo("map[80/tcp:{}]");
        assertThat(inspect("{{range $p, $conf := .NetworkSettings.Ports}}{{if $conf}}{{$p}} -> "
            + "{{(index $conf 0).HostPort}}{{end}}{{end}}")).isEqualTo("80/tcp -> 8080");
        assertThat(inspect("{{.NetworkSettings.Ports}}")).isEqualTo("map[443/tcp:[] 80/tcp:[{0.0.0.0 8080}]]");
        assertThat(inspect("{{json .NetworkSettings.Ports}}"))
            .isEqualTo("{\"443/tcp\":null,\"80/tcp\":[{\"HostIp\":\"0.0.0.0\",\"HostPort\":\"8080\"}]}");
        assertThat(inspect("{{.HostConfig.Binds}} {{.HostConfig.Tmpfs}} {{len .HostConfig.Binds}} {{.State.Health}}"))
            .isEqualTo("[] map[] 0 <nil>");
        assertThat(inspect("{{.State}} {{if .State.Health}}sick{{else}}no health{{end}} {{eq .State.Health nil}}"))
            .isEqualTo("{running true 42 <nil>} no health true");
        assertThat(inspect("{{.HostConfig}} {{json .HostConfig}}"))
            .isEqualTo("{[] map[]} {\"Binds\":null,\"Tmpfs\":null}");
        assertThat(inspect("{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}")).isEqualTo("172.17.0.2");
        assertThat(inspect("{{json .Config.Labels}}")).isEqualTo("{\"a\":\"first\",\"z\":\"last\"}");
        assertThat(inspect("{{json .State}}"))
            .isEqualTo("{\"Status\":\"running\",\"Running\":true,\"Pid\":42,\"Health\":null}");
    }

    @Test
    void missingMapKeyIsNoValueButUnknownFieldFailsOnTheRawModel() throws Exception {
        assertThat(inspect("{{.Config.Labels.nokey}}")).isEqualTo("<no value>");
        assertThatThrownBy(() -> inspect("{{.Foo}}"))
            .hasMessage("template: :1:2: executing \"\" at <.Foo>: map has no entry for key \"Foo\"");
    }

    @Test
    void unknownFieldOfTheTypedModelNamesTheType() throws Exception {
        assertThatThrownBy(() -> Template.parse("{{.Foo}}").execute(CONTAINER.convert(json())))
            .hasMessage("template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type types.ContainerJSON");
    }

    @Test
    void fieldThroughNilPointerFailsLikeGo() throws Exception {
        assertThatThrownBy(() -> Template.parse("{{.State.Health.Status}}").execute(CONTAINER.convert(json())))
            .hasMessage("template: :1:8: executing \"\" at <.State.Health.Status>: "
                + "nil pointer evaluating *struct.Status");
    }

    @Test
    void rawModelMakesEveryObjectAMap() throws Exception {
        Object raw = JsonModel.raw().convert(json());
        assertThat(raw).isInstanceOf(Map.class);
        assertThat(Template.parse("{{.State}}").execute(raw))
            .isEqualTo("map[Health:<nil> Pid:42 Running:true Status:running]");
    }
}
