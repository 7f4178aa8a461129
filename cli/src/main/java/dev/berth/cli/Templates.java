package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.template.JsonModel;
import dev.berth.cli.template.Template;
import dev.berth.cli.template.TemplateException;

/**
 * --format for single objects (inspect, version, info): "json" means {{json .}}, the template runs against the typed
 * model and then the raw one (docker's inspector), and errors read "template parsing error: ...".
 */
public final class Templates {
    /**
     * Objects Go decodes into maps rather than structs in the inspect shapes of containers, images, networks and
     * volumes; everything else behaves as a struct.
     */
    public static final JsonModel INSPECT = JsonModel.mapsAt("Config.Labels", "Config.ExposedPorts", "Config.Volumes",
            "ContainerConfig.Labels", "ContainerConfig.ExposedPorts", "ContainerConfig.Volumes",
            "HostConfig.PortBindings", "HostConfig.LogConfig.Config", "HostConfig.Sysctls", "HostConfig.StorageOpt",
            "HostConfig.Tmpfs", "HostConfig.Annotations", "GraphDriver.Data", "NetworkSettings.Ports",
            "NetworkSettings.Networks", "NetworkSettings.Networks.*.DriverOpts", "Options", "Labels", "Containers",
            "IPAM.Options", "Status", "Runtimes", "RegistryConfig.IndexConfigs", "Server.Components[].Details");

    private Templates() {
    }

    /** Parses a --format value; a syntax error exits 64, as docker's inspect does. */
    public static Template parse(String format) {
        try {
            return Template.parse(format.equals("json") ? "{{json .}}" : format);
        } catch (TemplateException e) {
            throw new CliException("template parsing error: " + e.getMessage(), 64);
        }
    }

    /** Runs the template on one object; a failure (such as a missing field) exits 1. */
    public static String execute(Template template, JsonNode data) {
        try {
            return INSPECT.inspect(template, data);
        } catch (TemplateException e) {
            throw new CliException("template parsing error: " + e.getMessage(), 1);
        }
    }

    public static String render(String format, JsonNode data) {
        return execute(parse(format), data);
    }
}
