package dev.berth.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The seeds' multi-stage builds against a real berthd: stages by index and name, --target, ARG-selected stages. */
class MultiStageE2ETest extends BusyboxDaemonTest {
    @Test
    void threeStages_copyFromByIndexAndName() {
        Path ctx = Contexts.make(base, "xavki", Map.of("Dockerfile", String.join("\n",
                "FROM busybox AS git", "RUN echo \"xavki\" >  /var/xavki.1", "",
                "FROM busybox AS builder", "RUN echo \"xavki\" > /var/xavki.2", "COPY --from=0 /var/xavki.1 /",
                "#COPY --from=git /var/xavki.1 /", "",
                "FROM busybox AS final", "RUN echo \"xavki\" > /var/xavki.3", "COPY --from=1 /var/xavki.2 /",
                "COPY --from=builder /xavki.1 /", "")));
        Cli.Result r = Cli.berth(daemon, "build", "-t", "app:1.0.0", ctx.toString()).assertOk();
        assertThat(r.stdout()).contains("Step 9/9 : COPY --from=builder /xavki.1 /");
        assertThat(Cli.berth(daemon, "run", "--rm", "app:1.0.0", "sh", "-c", "cat /xavki.1 /xavki.2 /var/xavki.3; ls /var")
                .assertOk().stdout()).isEqualTo("xavki\nxavki\nxavki\nspool\nxavki.3\n");
        Cli.Result target = Cli.berth(daemon, "build", "--target", "builder", "-t", "app:builder", ctx.toString()).assertOk();
        assertThat(target.stdout()).contains("Step 5/5 : COPY --from=0").doesNotContain("xavki.3");
        assertThat(Cli.berth(daemon, "run", "--rm", "app:builder", "ls", "/var/xavki.3").exitCode()).isNotZero();
    }

    @Test
    void typeArgument_selectsTheBranch_andUnneededStagesAreSkipped() {
        Path ctx = Contexts.make(base, "type", Map.of("Dockerfile", String.join("\n",
                "ARG TYPE=development", "",
                "FROM busybox AS base", "RUN echo \"Je suis la base\" > /var/xavki.txt", "",
                "FROM base AS branche-version-development", "RUN echo \"dev\" >> /var/xavki.txt", "ENV ENV=development", "",
                "FROM base AS branche-version-production", "RUN echo \"production\" >> /var/xavki.txt",
                "ENV ENV=production", "",
                "FROM branche-version-${TYPE} AS final", "RUN echo \"point final\" >> /var/xavki.txt", "")));
        Cli.Result dev = Cli.berth(daemon, "build", "-t", "app:dev", "--build-arg", "TYPE=development", ctx.toString())
                .assertOk();
        assertThat(dev.stdout()).doesNotContain("production").contains("Step 7/7 :");
        assertThat(Cli.berth(daemon, "run", "--rm", "app:dev", "cat", "/var/xavki.txt").assertOk().stdout())
                .isEqualTo("Je suis la base\ndev\npoint final\n");
        Cli.berth(daemon, "build", "-t", "app:prod", "--build-arg", "TYPE=production", ctx.toString()).assertOk();
        assertThat(Cli.berth(daemon, "run", "--rm", "app:prod", "sh", "-c", "cat /var/xavki.txt; echo $ENV")
                .assertOk().stdout()).isEqualTo("Je suis la base\nproduction\npoint final\nproduction\n");
    }

    @Test
    void copyFromAnImage_andFromAnUnknownStage() {
        Path seed = Contexts.make(base, "conf", Map.of("nginx.conf", "worker_processes 1;\n",
                "Dockerfile", "FROM busybox\nCOPY nginx.conf /etc/nginx/nginx.conf\n"));
        Cli.berth(daemon, "build", "-t", "local_nginx:1.24", seed.toString()).assertOk();
        Path ctx = Contexts.make(base, "fromimage", Map.of("Dockerfile", String.join("\n",
                "FROM local_nginx:1.24 AS local_nginx", "",
                "FROM busybox AS x2", "RUN echo \"xavki\" > /var/xavki.2", "COPY --from=local_nginx /etc/nginx/nginx.conf /etc",
                "COPY --from=local_nginx:1.24 /etc/nginx/nginx.conf /conf/", "")));
        Cli.berth(daemon, "build", "-t", "app:x2", ctx.toString()).assertOk();
        assertThat(Cli.berth(daemon, "run", "--rm", "app:x2", "cat", "/etc/nginx.conf", "/conf/nginx.conf").out())
                .isEqualTo("worker_processes 1;\nworker_processes 1;");
        Path bad = Contexts.make(base, "badstage", Map.of("Dockerfile", "FROM busybox\nCOPY --from=nosuchstage /x /\n"));
        Cli.Result r = Cli.berth(daemon, "build", bad.toString());
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.stderr()).contains("pull access denied for nosuchstage, repository does not exist");
    }
}
