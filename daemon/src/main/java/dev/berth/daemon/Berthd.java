package dev.berth.daemon;

import dev.berth.daemon.http.ApiServer;
import dev.berth.daemon.http.Router;
import dev.berth.daemon.routes.BuildRoutes;
import dev.berth.daemon.routes.ContainerRoutes;
import dev.berth.daemon.routes.DiskRoutes;
import dev.berth.daemon.routes.Errors;
import dev.berth.daemon.routes.EventRoutes;
import dev.berth.daemon.routes.ExecRoutes;
import dev.berth.daemon.routes.ImageRoutes;
import dev.berth.daemon.routes.NetworkRoutes;
import dev.berth.daemon.routes.RegistryRoutes;
import dev.berth.daemon.routes.RunningContainerRoutes;
import dev.berth.daemon.routes.SystemRoutes;
import dev.berth.daemon.routes.VolumeRoutes;
import dev.berth.daemon.routes.ArchiveRoutes;
import dev.berth.engine.containers.ContainerArchive;
import dev.berth.engine.DaemonConfig;
import dev.berth.engine.Engine;
import dev.berth.engine.RegistrySettings;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code berthd}: the daemon in the foreground, as {@code dockerd} runs.
 *
 * <pre>berthd [--config-file /etc/berth/daemon.json] [--data-root DIR] [--exec-root DIR] [-H unix:///run/berth/berth.sock]</pre>
 */
public final class Berthd {
    private static final Logger LOG = Logger.getLogger(Berthd.class.getName());

    private Berthd() {}

    public static void main(String[] args) throws Exception {
        Path configFile = DaemonConfig.DEFAULT_FILE;
        Path dataRoot = null;
        Path execRoot = null;
        Path socket = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--config-file" -> configFile = Path.of(require(a, value));
                case "--data-root" -> dataRoot = Path.of(require(a, value));
                case "--exec-root" -> execRoot = Path.of(require(a, value));
                case "-H", "--host" -> socket = Path.of(require(a, value).replaceFirst("^unix://", ""));
                case "-h", "--help" -> {
                    System.out.println("Usage:\tberthd [OPTIONS]\n\nA self-sufficient runtime for containers.\n\n"
                            + "Options:\n      --config-file string   Daemon configuration file (default \"/etc/berth/daemon.json\")\n"
                            + "      --data-root string     Root directory of persistent Berth state (default \"/var/lib/berth\")\n"
                            + "      --exec-root string     Root directory for execution state files (default \"/run/berth\")\n"
                            + "  -H, --host string          Daemon socket to connect to (default unix:///run/berth/berth.sock)");
                    return;
                }
                default -> {
                    System.err.println("berthd: unknown flag: " + a);
                    System.exit(1);
                }
            }
            i++;
        }
        DaemonConfig config = DaemonConfig.load(configFile);
        if (dataRoot != null) {
            config = config.withDataRoot(dataRoot);
        }
        if (execRoot != null) {
            config = config.withExecRoot(execRoot);
        }
        Path listen = socket != null ? socket : config.socket();
        Engine engine = Engine.open(config, RegistrySettings.load(configFile));
        Router router = new Router();
        new SystemRoutes(engine).register(router);
        new ContainerRoutes(engine.containers(), config::containerDir, engine.commits(), engine.disk())
                .withNetworks(engine.networks()).register(router);
        new NetworkRoutes(engine.networks(), engine.containers()).register(router);
        new BuildRoutes(engine.builds()).register(router);
        new RegistryRoutes(engine.registry()).register(router);
        new ImageRoutes(engine.images(), engine.containers(), engine.registry().pulls()).register(router);
        new ExecRoutes(engine.containers()).register(router);
        new RunningContainerRoutes(engine.containers()).register(router);
        new EventRoutes(engine.events()).register(router);
        new DiskRoutes(engine.disk(), engine.images(), engine.containers()).register(router);
        new VolumeRoutes(engine.volumes()).register(router);
        new ArchiveRoutes(new ContainerArchive(engine.containers())).register(router);
        ApiServer server = ApiServer.start(listen, router, Errors::reply);
        LOG.info("API listen on " + listen);
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            engine.close();
            stop.countDown();
        }));
        try {
            stop.await();
        } catch (InterruptedException e) {
            LOG.log(Level.INFO, "interrupted", e);
        }
    }

    private static String require(String flag, String value) {
        if (value == null) {
            System.err.println("berthd: flag needs an argument: " + flag);
            System.exit(1);
        }
        return value;
    }
}
