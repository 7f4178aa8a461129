package dev.berth.daemon.routes;

import dev.berth.api.types.HostConfig;
import dev.berth.api.types.MountPoint;
import dev.berth.engine.EngineException;
import dev.berth.engine.containers.Container;
import dev.berth.engine.containers.MountSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Translates the API's Binds, Mounts, Tmpfs and VolumesFrom to the engine's mount settings, and mount points back. */
final class MountMapper {
    private MountMapper() {}

    static MountSettings settings(HostConfig host) {
        List<MountSettings.Request> requests = new ArrayList<>();
        if (host.mounts() != null) {
            for (Object o : host.mounts()) {
                if (!(o instanceof Map<?, ?> m)) {
                    throw new EngineException.InvalidArgument("invalid mount config: " + o);
                }
                requests.add(request(m));
            }
        }
        return new MountSettings(host.binds(), requests, host.tmpfs(), host.volumesFrom(), null);
    }

    private static MountSettings.Request request(Map<?, ?> m) {
        Map<?, ?> bind = map(m.get("BindOptions"));
        Map<?, ?> volume = map(m.get("VolumeOptions"));
        Map<?, ?> tmpfs = map(m.get("TmpfsOptions"));
        Map<?, ?> driver = map(volume.get("DriverConfig"));
        return new MountSettings.Request(text(m.get("Type")), text(m.get("Source")), text(m.get("Target")),
                Boolean.TRUE.equals(m.get("ReadOnly")), text(bind.get("Propagation")),
                Boolean.TRUE.equals(volume.get("NoCopy")), strings(driver.get("Options")), strings(volume.get("Labels")),
                tmpfs.get("SizeBytes") instanceof Number n ? n.longValue() : 0,
                tmpfs.get("Mode") instanceof Number n ? n.intValue() : 0);
    }

    private static Map<?, ?> map(Object o) {
        return o instanceof Map<?, ?> m ? m : Map.of();
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    private static Map<String, String> strings(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        map(o).forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        return out;
    }

    /** The container's mount points as inspect and list show them. */
    static List<MountPoint> points(Container c) {
        List<MountPoint> out = new ArrayList<>();
        for (MountSettings.Point p : c.settings().mounts().resolved()) {
            if (p.shown()) {
                out.add(new MountPoint(p.type(), p.name(), p.source(), p.destination(), p.driver(), p.mode(), p.rw(),
                        p.propagation()));
            }
        }
        return out;
    }

    /** HostConfig.Mounts as the client gave them, for inspect. */
    static List<Object> requests(Container c) {
        List<Object> out = new ArrayList<>();
        for (MountSettings.Request r : c.settings().mounts().mounts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Type", r.type());
            if (!r.source().isEmpty()) {
                m.put("Source", r.source());
            }
            m.put("Target", r.target());
            if (r.readOnly()) {
                m.put("ReadOnly", true);
            }
            out.add(m);
        }
        return out.isEmpty() ? null : out;
    }
}
