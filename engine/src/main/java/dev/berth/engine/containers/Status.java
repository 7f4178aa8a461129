package dev.berth.engine.containers;

/** Docker's container states, as the API spells them. */
public enum Status {
    CREATED, RUNNING, PAUSED, RESTARTING, REMOVING, EXITED, DEAD;

    public String apiName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
