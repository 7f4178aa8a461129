package dev.berth.cli.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.berth.cli.template.TemplateException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ListFormatTest {
    /** Like docker's clientContextContext: the row's fields are methods. */
    public record ContextRow(String Name, boolean Current, String Description, String DockerEndpoint, String Error) {
    }

    private static final String DEFAULT = "table {{.Name}}\\t{{.Description}}\\t{{.DockerEndpoint}}";
    private static final Map<String, String> HEADER = Map.of("Name", "NAME", "Description", "DESCRIPTION",
        "DockerEndpoint", "DOCKER ENDPOINT", "Error", "ERROR");
    private static final List<ContextRow> ROWS = List.of(new ContextRow("default", true,
        "Current DOCKER_HOST based configuration", "unix:///var/run/docker.sock", ""));

    private static String render(String format) throws TemplateException {
        return ListFormat.of(format, DEFAULT).render(HEADER, ROWS);
    }

    @Test
    void tableRendersHeaderAndRowsAligned() throws TemplateException {
        String expected = "NAME      DESCRIPTION                               DOCKER ENDPOINT\n"
            + "default   Current DOCKER_HOST based configuration   unix:///var/run/docker.sock\n";
        assertThat(render(null)).isEqualTo(expected);
        assertThat(render("")).isEqualTo(expected);
        assertThat(render("table")).isEqualTo(expected);
        assertThat(render(DEFAULT)).isEqualTo(expected);
    }

    @Test
    void headerOfAFieldMissingFromTheHeaderMapIsNoValue() throws TemplateException {
        // docker context ls --format 'table {{.Name}}\t{{.Current}}\t{{upper .Description}}'
        assertThat(render("table {{.Name}}\\t{{.Current}}\\t{{upper .Description}}"))
            .isEqualTo("NAME      <no value>   DESCRIPTION\n"
                + "default   true         CURRENT DOCKER_HOST BASED CONFIGURATION\n");
    }

    @Test
    void headerFunctionsLeaveTitlesAlone() throws TemplateException {
        assertThat(render("table {{json .Name}} {{title .Name}} {{truncate .Name 2}} {{pad .Name 1 1}}|{{split .Name \"a\"}}"))
            .isEqualTo("NAME NAME NAME  NAME |NAME\n\"default\" Default de  default |[def ult]\n");
    }

    @Test
    void tableWithNoRowsStillPrintsTheHeader() throws TemplateException {
        assertThat(ListFormat.of(null, DEFAULT).render(HEADER, List.of()))
            .isEqualTo("NAME      DESCRIPTION   DOCKER ENDPOINT\n");
    }

    @Test
    void plainFormatPrintsOneLinePerRowWithEscapesExpanded() throws TemplateException {
        assertThat(render("{{.Name}}\\t{{.Current}}")).isEqualTo("default\ttrue\n");
        assertThat(render("  {{.Name}}  ")).isEqualTo("default\n");
        assertThat(render("{{.Name}}\\n{{.Error}}")).isEqualTo("default\n\n");
    }

    @Test
    void jsonFormatEncodesEachRow() throws TemplateException {
        ListFormat f = ListFormat.of("json", DEFAULT);
        assertThat(f.isJson()).isTrue();
        assertThat(f.isTable()).isFalse();
        // docker context ls --format json
        assertThat(f.render(HEADER, ROWS)).isEqualTo("{\"Current\":true,"
            + "\"Description\":\"Current DOCKER_HOST based configuration\","
            + "\"DockerEndpoint\":\"unix:///var/run/docker.sock\",\"Error\":\"\",\"Name\":\"default\"}\n");
    }

    @Test
    void errorsAreWordedLikeDocker() {
        assertThatThrownBy(() -> ListFormat.of("{{.Name", DEFAULT))
            .hasMessage("template parsing error: template: :1: unclosed action");
        assertThatThrownBy(() -> render("{{.Nope}}")).hasMessage("template parsing error: template: :1:2: "
            + "executing \"\" at <.Nope>: can't evaluate field Nope in type ContextRow");
    }
}
