package dev.berth.cli;

import java.lang.reflect.Constructor;
import picocli.CommandLine;

/** Builds verb objects, handing each the {@link Cli} context through a constructor taking it. */
final class VerbFactory implements CommandLine.IFactory {
    private final Cli cli;

    VerbFactory(Cli cli) {
        this.cli = cli;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
        for (Constructor<?> c : type.getDeclaredConstructors()) {
            if (c.getParameterCount() == 1 && c.getParameterTypes()[0] == Cli.class) {
                return type.cast(c.newInstance(cli));
            }
        }
        return CommandLine.defaultFactory().create(type);
    }
}
