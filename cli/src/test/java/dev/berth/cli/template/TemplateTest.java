package dev.berth.cli.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The data model: maps, structs, records, objects with methods, nil and missing values, as Go sees them. */
class TemplateTest {
    private static final GoStruct MOUNT = GoStruct.of("types.MountPoint", "Type", "bind", "Name", "",
        "Source", "/data", "Destination", "/usr/share/nginx/html", "Driver", "", "Mode", "", "RW", true,
        "Propagation", "rprivate");

    /** A docker-style formatter context: fields are methods, some take arguments. */
    public static final class ContainerContext {
        public String ID() {
            return "3aa5f018d45a";
        }

        public String Names() {
            return "web";
        }

        public String Label(String name) {
            return name.equals("app") ? "nginx" : "";
        }

        public long Size(long unit) {
            return 2048 / unit;
        }
    }

    record Port(String ip, long privatePort) {
    }

    private static Map<String, Object> data() {
        Map<String, Object> labels = new HashMap<>();
        labels.put("b", "2");
        labels.put("a", "1");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("Mounts", List.of(MOUNT));
        data.put("Labels", labels);
        data.put("Nil", null);
        data.put("Empty", List.of());
        data.put("Args", List.of("-g", "daemon off;"));
        data.put("Count", 3L);
        data.put("Int", 7);
        data.put("Ratio", 1.5e6);
        data.put("Small", 0.25);
        data.put("Html", "<a&b>");
        data.put("Port", new Port("0.0.0.0", 80));
        data.put("Ctx", new ContainerContext());
        data.put("Array", new String[] {"x", "y"});
        data.put("Double", (Function<Object, Object>) v -> {
            if (!(v instanceof Number n)) {
                throw new IllegalArgumentException("want a number, got " + v);
            }
            return n.longValue() * 2;
        });
        data.put("WithNil", Arrays.asList("a", null));
        return data;
    }

    static Stream<Arguments> outputs() {
        return Stream.of(
            Arguments.of("{{.Mounts}}", "[{bind  /data /usr/share/nginx/html   true rprivate}]"),
            Arguments.of("{{range .Mounts}}{{.Source}}:{{.Destination}}{{end}}", "/data:/usr/share/nginx/html"),
            Arguments.of("{{(index .Mounts 0).Propagation}}", "rprivate"),
            Arguments.of("{{printf \"%+v\" (index .Mounts 0)}}", "{Type:bind Name: Source:/data "
                + "Destination:/usr/share/nginx/html Driver: Mode: RW:true Propagation:rprivate}"),
            Arguments.of("{{json .Mounts}}", "[{\"Type\":\"bind\",\"Name\":\"\",\"Source\":\"/data\","
                + "\"Destination\":\"/usr/share/nginx/html\",\"Driver\":\"\",\"Mode\":\"\",\"RW\":true,"
                + "\"Propagation\":\"rprivate\"}]"),
            Arguments.of("{{.Labels}}", "map[a:1 b:2]"),
            Arguments.of("{{json .Labels}}", "{\"a\":\"1\",\"b\":\"2\"}"),
            Arguments.of("{{range $k, $v := .Labels}}{{$k}}={{$v}};{{end}}", "a=1;b=2;"),
            Arguments.of("{{.Labels.a}} {{index .Labels \"b\"}} {{index .Labels \"zz\"}}", "1 2 <no value>"),
            Arguments.of("{{.Nil}}|{{print .Nil}}|{{.WithNil}}|{{json .Nil}}", "<no value>|<nil>|[a <nil>]|null"),
            Arguments.of("{{if .Empty}}full{{else}}empty{{end}} {{len .Empty}}", "empty 0"),
            Arguments.of("{{range .Empty}}x{{else}}none{{end}}", "none"),
            Arguments.of("{{join .Args \" \"}} {{len .Args}} {{index .Args 1}}", "-g daemon off; 2 daemon off;"),
            Arguments.of("{{.Count}} {{.Int}} {{.Ratio}} {{.Small}} {{json .Ratio}}", "3 7 1.5e+06 0.25 1500000"),
            Arguments.of("{{if eq .Count 3}}three{{end}} {{if gt .Int 5}}big{{end}}", "three big"),
            Arguments.of("{{.Html}} {{json .Html}} {{html .Html}}", "<a&b> \"<a&b>\" &lt;a&amp;b&gt;"),
            Arguments.of("{{.Port}} {{.Port.ip}} {{json .Port}}", "{0.0.0.0 80} 0.0.0.0 {\"ip\":\"0.0.0.0\",\"privatePort\":80}"),
            Arguments.of("{{.Ctx.ID}} {{.Ctx.Names}} {{.Ctx.Label \"app\"}} {{.Ctx.Size 1024}}", "3aa5f018d45a web nginx 2"),
            Arguments.of("{{\"app\" | .Ctx.Label}}", "nginx"),
            Arguments.of("{{json .Ctx}}", "{\"ID\":\"3aa5f018d45a\",\"Names\":\"web\"}"),
            Arguments.of("{{.Array}} {{index .Array 1}}", "[x y] y"),
            Arguments.of("{{call .Double 21}}", "42"),
            Arguments.of("{{with .Port}}{{.ip}}{{end}} {{with .Nil}}x{{else}}nil{{end}}", "0.0.0.0 nil"),
            Arguments.of("{{range $i, $m := .Mounts}}{{$i}} {{$m.Type}} {{$.Count}}{{end}}", "0 bind 3"),
            Arguments.of("{{define \"row\"}}<{{.}}>{{end}}{{range .Args}}{{template \"row\" .}}{{end}}", "<-g><daemon off;>"),
            Arguments.of("a\n  {{- .Count}}\n{{.Count -}}\n  b", "a3\n3b"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outputs")
    void executes(String template, String expected) throws TemplateException {
        assertThat(Template.parse(template).execute(data())).isEqualTo(expected);
    }

    static Stream<Arguments> errors() {
        return Stream.of(
            Arguments.of("{{.Nope}}", "template: :1:2: executing \"\" at <.Nope>: map has no entry for key \"Nope\""),
            Arguments.of("{{.Labels.zz}}",
                "template: :1:9: executing \"\" at <.Labels.zz>: map has no entry for key \"zz\""),
            Arguments.of("{{(index .Mounts 0).Nope}}", "template: :1:17: executing \"\" at <0>: "
                + "can't evaluate field Nope in type types.MountPoint"),
            Arguments.of("{{range .Mounts}}{{.Nope}}{{end}}",
                "template: :1:19: executing \"\" at <.Nope>: can't evaluate field Nope in type types.MountPoint"),
            Arguments.of("{{.Nil.Field}}",
                "template: :1:6: executing \"\" at <.Nil.Field>: nil pointer evaluating interface {}.Field"),
            Arguments.of("{{.Ctx.Nope}}",
                "template: :1:6: executing \"\" at <.Ctx.Nope>: can't evaluate field Nope in type ContainerContext"),
            Arguments.of("{{.Ctx.Label}}",
                "template: :1:6: executing \"\" at <.Ctx.Label>: wrong number of args for Label: want 1 got 0"),
            Arguments.of("{{.Labels.a 1}}",
                "template: :1:9: executing \"\" at <.Labels.a>: a is not a method but has arguments"),
            Arguments.of("{{join .Count \",\"}}",
                "template: :1:7: executing \"\" at <.Count>: wrong type for value; expected []string; got int"),
            Arguments.of("{{upper .Nil}}",
                "template: :1:8: executing \"\" at <.Nil>: invalid value; expected string"),
            Arguments.of("{{pad \"x\" -1 0}}",
                "template: :1:2: executing \"\" at <pad \"x\" -1 0>: error calling pad: strings: negative Repeat count"),
            Arguments.of("{{call .Double \"x\"}}",
                "template: :1:2: executing \"\" at <call .Double \"x\">: error calling call: want a number, got x"),
            Arguments.of("{{call .Count}}",
                "template: :1:2: executing \"\" at <call .Count>: error calling call: non-function of type int"),
            Arguments.of("{{\n.Nope}}", "template: :2:0: executing \"\" at <.Nope>: map has no entry for key \"Nope\""),
            Arguments.of("{{define \"t\"}}{{.X}}{{end}}{{template \"t\" .Count}}",
                "template: :1:16: executing \"t\" at <.X>: can't evaluate field X in type int"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void failsLikeGo(String template, String message) {
        assertThatThrownBy(() -> Template.parse(template).execute(data()))
            .isInstanceOf(TemplateException.class).hasMessage(message);
    }

    @Test
    void missingKeyPrintsNoValueInGoDefaultMode() throws TemplateException {
        Template t = Template.parse("{{.Nope}} {{.Labels.zz}} {{.Nope.Deeper}}")
            .withMissingKey(Template.MissingKey.NO_VALUE);
        assertThat(t.execute(data())).isEqualTo("<no value> <no value> <no value>");
    }

    @Test
    void nilDataPrintsNoValueOrFailsWithMissingKeyError() throws TemplateException {
        assertThat(Template.parse("{{.}}").execute(null)).isEqualTo("<no value>");
        assertThatThrownBy(() -> Template.parse("{{.Foo}}").execute(null))
            .hasMessage("template: :1:2: executing \"\" at <.Foo>: nil data; no entry for key \"Foo\"");
    }

    @Test
    void templateCanRunManyTimes() throws TemplateException {
        Template t = Template.parse("{{$x := .}}{{$x}}");
        assertThat(t.execute("a")).isEqualTo("a");
        assertThat(t.execute("b")).isEqualTo("b");
    }

    @Test
    void headerUsesIdentityFunctionsAndKeepsOutputBeforeAnError() throws TemplateException {
        Map<String, String> header = Map.of("ID", "CONTAINER ID", "Names", "NAMES");
        assertThat(Template.parse("{{.ID}}\t{{upper .Names}}\t{{truncate .ID 3}}\t{{json .Names}}")
            .executeHeader(header)).isEqualTo("CONTAINER ID\tNAMES\tCONTAINER ID\tNAMES");
        assertThat(Template.parse("{{.ID}}\t{{.Status}}").executeHeader(header))
            .isEqualTo("CONTAINER ID\t<no value>");
        assertThat(Template.parse("{{.ID}}\t{{.Label \"x\"}}\t{{.Names}}").executeHeader(header))
            .isEqualTo("CONTAINER ID\t");
    }

    @Test
    void recursionStopsWithGoMessage() throws TemplateException {
        Template t = Template.parse("{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}");
        assertThatThrownBy(() -> t.execute(null)).hasMessageContaining("exceeded maximum template depth (100000)");
    }
}
