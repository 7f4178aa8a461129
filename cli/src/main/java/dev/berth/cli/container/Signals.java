package dev.berth.cli.container;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;

/**
 * Catches POSIX signals for signal proxying (run/attach without a TTY) and terminal resizes (SIGWINCH). The JDK's only
 * hook is jdk.unsupported's sun.misc.Signal; it is reached reflectively because javac's internal-API warning cannot be
 * suppressed and the build treats warnings as errors.
 */
final class Signals {
    /** What docker's CLI forwards (signal.go): every catchable signal except those the JVM or the terminal own. */
    static final String[] PROXIED = {"INT", "TERM", "HUP", "USR2", "ALRM", "CONT", "TSTP", "TTIN", "TTOU", "PWR"};

    private Signals() {
    }

    /** Installs {@code handler} for the named signal; returns false when the JVM refuses that signal. */
    static boolean handle(String name, Consumer<String> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (self, method, args) -> {
                        if (method.getName().equals("handle")) {
                            handler.accept(name);
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "SignalHandler(" + name + ")";
                        };
                    });
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            Method install = signalClass.getMethod("handle", signalClass, handlerClass);
            install.invoke(null, signal, proxy);
            return true;
        } catch (ReflectiveOperationException | IllegalArgumentException | LinkageError e) {
            return false;
        }
    }
}
