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
            "IPAM.Options", "Status", "Runtimes", "RegistryConfig.IndexConfigs", "Server.Components[].Details")
            // Go prints a nil slice as [] (the seeds' {{.NetworkSettings.Ports}} gives map[80/tcp:[]]), not <nil>
            .withSlicesAt("NetworkSettings.Ports.*", "HostConfig.PortBindings.*", "Args", "Mounts", "RepoTags",
                    "RepoDigests", "RootFS.Layers", "Config.Cmd", "Config.Entrypoint", "Config.Env", "Config.OnBuild",
                    "Config.Shell", "ContainerConfig.Cmd", "ContainerConfig.Entrypoint", "ContainerConfig.Env",
                    "HostConfig.Binds", "HostConfig.Links", "HostConfig.VolumesFrom", "HostConfig.CapAdd",
                    "HostConfig.CapDrop", "HostConfig.Dns", "HostConfig.DnsOptions", "HostConfig.DnsSearch",
                    "HostConfig.ExtraHosts", "HostConfig.GroupAdd", "HostConfig.SecurityOpt", "HostConfig.Mounts",
                    "HostConfig.Devices", "HostConfig.DeviceCgroupRules", "HostConfig.Ulimits", "HostConfig.MaskedPaths",
                    "HostConfig.ReadonlyPaths", "NetworkSettings.Networks.*.Aliases", "NetworkSettings.Networks.*.Links",
                    "NetworkSettings.Networks.*.DNSNames");

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
            return INSPECT.inspect(template, withMountFields(data));
        } catch (TemplateException e) {
            throw new CliException("template parsing error: " + e.getMessage(), 1);
        }
    }

    /** types.MountPoint's fields in Go's order; the JSON leaves out an empty Name and Driver (omitempty). */
    private static final String[] MOUNT_POINT_FIELDS = {"Type", "Name", "Source", "Destination", "Driver", "Mode", "RW",
        "Propagation"};

    /** A container's Mounts with every field of the Go struct, so that {{.Mounts}} prints as docker's does. */
    private static JsonNode withMountFields(JsonNode data) {
        if (!(data instanceof com.fasterxml.jackson.databind.node.ObjectNode root) || !data.path("Mounts").isArray()) {
            return data;
        }
        com.fasterxml.jackson.databind.node.ArrayNode mounts = root.arrayNode();
        for (JsonNode m : data.path("Mounts")) {
            com.fasterxml.jackson.databind.node.ObjectNode full = mounts.addObject();
            for (String f : MOUNT_POINT_FIELDS) {
                full.set(f, m.has(f) ? m.get(f) : full.textNode(""));
            }
        }
        com.fasterxml.jackson.databind.node.ObjectNode copy = root.deepCopy();
        copy.set("Mounts", mounts);
        return copy;
    }

    public static String render(String format, JsonNode data) {
        return execute(parse(format), data);
    }
}
