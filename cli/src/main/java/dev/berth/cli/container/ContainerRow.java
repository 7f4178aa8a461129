package dev.berth.cli.container;

import java.util.Map;

/**
 * One row of {@code ps} as the --format template sees it: docker's ContainerContext, with a method per field and
 * {@code Label "key"}. The fields are precomputed strings (truncation already applied).
 */
public final class ContainerRow {
    private final Map<String, String> fields;
    private final Map<String, String> labels;

    ContainerRow(Map<String, String> fields, Map<String, String> labels) {
        this.fields = fields;
        this.labels = labels;
    }

    public String ID() {
        return fields.get("ID");
    }

    public String Image() {
        return fields.get("Image");
    }

    public String Command() {
        return fields.get("Command");
    }

    public String CreatedAt() {
        return fields.get("CreatedAt");
    }

    public String RunningFor() {
        return fields.get("RunningFor");
    }

    public String Ports() {
        return fields.get("Ports");
    }

    public String State() {
        return fields.get("State");
    }

    public String Status() {
        return fields.get("Status");
    }

    public String Size() {
        return fields.get("Size");
    }

    public String Names() {
        return fields.get("Names");
    }

    public String Labels() {
        return fields.get("Labels");
    }

    /** The value of one label, empty when the container does not have it. */
    public String Label(String name) {
        return labels.getOrDefault(name, "");
    }

    public String Mounts() {
        return fields.get("Mounts");
    }

    public String Networks() {
        return fields.get("Networks");
    }

    public String LocalVolumes() {
        return fields.get("LocalVolumes");
    }
}
