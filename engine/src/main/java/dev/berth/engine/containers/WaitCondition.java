package dev.berth.engine.containers;

/** Docker's wait conditions. */
public enum WaitCondition {
    /** Return at once if the container is not running, else when it stops (the default). */
    NOT_RUNNING,
    /** Return when the container next exits, whatever its state now ({@code run}, {@code start -a}). */
    NEXT_EXIT,
    /** Return when the container has been removed ({@code run --rm}). */
    REMOVED;

    public static WaitCondition parse(String s) {
        return switch (s == null ? "" : s) {
            case "", "not-running" -> NOT_RUNNING;
            case "next-exit" -> NEXT_EXIT;
            case "removed" -> REMOVED;
            default -> throw new dev.berth.engine.EngineException.InvalidArgument("invalid condition: \"" + s + "\"");
        };
    }
}
