package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.ClassFileSpecs;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * The command models read from class files are the models picocli reflects, attribute for attribute, for every command
 * of the tree; a verb whose annotations the class-file reader does not model would fall back to slow reflection and
 * fails here.
 */
class ClassFileSpecsTest {
    private final VerbFactory factory = new VerbFactory(new Cli(new ByteArrayInputStream(new byte[0]),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), Map.of(), false, false));

    static List<Class<?>> commands() {
        return CommandTree.commandClasses();
    }

    @ParameterizedTest
    @MethodSource("commands")
    void classFileModel_isTheReflectedModel(Class<?> type) {
        CommandSpec read = ClassFileSpecs.spec(type, factory);
        assertThat(read).as("%s is built by reflection", type.getName()).isNotNull();
        CommandSpec reflected = new CommandLine(type, factory).getCommandSpec();
        CommandSpec built = new CommandLine(read, factory).getCommandSpec();
        assertThat(describe(built)).isEqualTo(describe(reflected));
        assertThat(DockerHelp.render(built)).isEqualTo(DockerHelp.render(reflected));
    }

    @Test
    void classFileModel_bindsTheFieldsOfTheNewInstance() {
        CommandSpec spec = ClassFileSpecs.spec(dev.berth.cli.container.RunCommand.class, factory);
        CommandLine line = new CommandLine(spec, factory);
        line.setStopAtPositional(true);
        line.parseArgs("--rm", "-e", "A=1", "-e", "B", "--name", "x", "busybox", "ls", "-l");
        assertThat(spec.findOption("--rm").<Boolean>getValue()).isTrue();
        assertThat(spec.findOption("-e").<List<String>>getValue()).containsExactly("A=1", "B");
        assertThat(spec.findOption("--name").<String>getValue()).isEqualTo("x");
        assertThat(spec.findOption("--sig-proxy").<Boolean>getValue()).isTrue();
        assertThat(spec.positionalParameters().getFirst().<List<String>>getValue())
                .containsExactly("busybox", "ls", "-l");
    }

    @Test
    void unmodelledAnnotation_fallsBackToReflection() {
        assertThat(ClassFileSpecs.spec(WithArgGroup.class, factory)).isNull();
    }

    /** A command with an argument group, which the class-file reader leaves to picocli. */
    @CommandLine.Command(name = "grouped")
    static final class WithArgGroup {
        @CommandLine.ArgGroup
        Group group;

        static final class Group {
            @CommandLine.Option(names = "-a")
            boolean a;
        }
    }

    private static String describe(CommandSpec spec) {
        StringBuilder b = new StringBuilder();
        UsageMessageSpec u = spec.usageMessage();
        b.append("name=").append(spec.name()).append(" aliases=").append(Arrays.toString(spec.aliases()))
                .append(" separator=").append(spec.parser().separator()).append(" version=")
                .append(Arrays.toString(spec.version())).append(" helpCommand=").append(spec.helpCommand())
                .append(" scope=").append(spec.scopeType()).append(" exit=").append(spec.exitCodeOnSuccess())
                .append(spec.exitCodeOnUsageHelp()).append(spec.exitCodeOnInvalidInput())
                .append(" mixins=").append(spec.mixins().keySet()).append(" specElements=")
                .append(spec.specElements().size()).append('\n');
        b.append("usage: ").append(Arrays.toString(u.description())).append(Arrays.toString(u.customSynopsis()))
                .append(Arrays.toString(u.header())).append(Arrays.toString(u.footer())).append(u.synopsisHeading())
                .append(u.descriptionHeading()).append(u.optionListHeading()).append(u.parameterListHeading())
                .append(u.commandListHeading()).append(u.hidden()).append(u.sortOptions()).append(u.width())
                .append(u.abbreviateSynopsis()).append(u.showDefaultValues()).append(u.requiredOptionMarker())
                .append(u.synopsisSubcommandLabel()).append('\n');
        for (OptionSpec o : spec.options()) {
            b.append("option ").append(Arrays.toString(o.names())).append(" help=").append(o.usageHelp())
                    .append(o.versionHelp()).append(" negatable=").append(o.negatable()).append(" fallback=")
                    .append(o.fallbackValue()).append(" order=").append(o.order());
            arg(b, o);
        }
        for (PositionalParamSpec p : spec.positionalParameters()) {
            b.append("positional index=").append(p.index());
            arg(b, p);
        }
        return b.toString();
    }

    private static void arg(StringBuilder b, ArgSpec a) {
        b.append(" arity=").append(a.arity()).append(" type=").append(a.type().getName()).append(" aux=")
                .append(Arrays.stream(a.auxiliaryTypes()).map(Class::getName).toList()).append(" generics=")
                .append(a.typeInfo().getActualGenericTypeArguments()).append(" label=").append(a.paramLabel())
                .append(" hideSyntax=").append(a.hideParamSyntax()).append(" description=")
                .append(Arrays.toString(a.description())).append(" key=").append(a.descriptionKey())
                .append(" default=").append(a.defaultValue()).append(" mapFallback=").append(a.mapFallbackValue())
                .append(" initial=").append(a.initialValue()).append(a.hasInitialValue()).append(" required=")
                .append(a.required()).append(" hidden=").append(a.hidden()).append(" split=").append(a.splitRegex())
                .append(a.splitRegexSynopsisLabel()).append(" converters=")
                .append(Arrays.stream(a.converters()).map(c -> c.getClass().getName()).collect(Collectors.toList()))
                .append(" candidates=").append(a.completionCandidates()).append(" interactive=")
                .append(a.interactive()).append(a.echo()).append(a.prompt()).append(" show=")
                .append(a.showDefaultValue()).append(" scope=").append(a.scopeType()).append(" inherited=")
                .append(a.inherited()).append(" consumer=").append(a.parameterConsumer()).append(" preprocessor=")
                .append(a.preprocessor() == null ? null : a.preprocessor().getClass().getName()).append(" toString=")
                .append(a).append(" userObject=").append(a.userObject()).append('\n');
    }
}
