package dev.berth.engine.containers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExecConfigTest {
    private static ContainerSettings container(List<String> env) {
        ContainerSettings r = ContainerServiceTest.request();
        return new ContainerSettings("myhost", "", "", false, true, true, false, false, false, env, List.of("sh"), null,
                "", null, null, null, null, null, "none", false, 0, 0, null, 0, null, "no", 0, null, null, false, false,
                "k8s-file", null, null, null, null, null, null, null, null, r.consoleSize(), null, null, null, null);
    }

    @Test
    void environment_isDockersDaemonEnvironment_withTheExecsVariablesReplacingInPlace() {
        List<String> env = ExecConfig.environment(container(List.of("PATH=/bin", "A=1", "B=2")), List.of("B=3", "C=4"),
                false);
        assertThat(env).containsExactly("PATH=/bin", "HOSTNAME=myhost", "A=1", "B=3", "C=4");
    }

    @Test
    void environment_addsTermWithATerminal_andABareNameRemovesTheVariable() {
        List<String> env = ExecConfig.environment(container(List.of("A=1")), List.of("A"), true);
        assertThat(env).containsExactly("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                "HOSTNAME=myhost", "TERM=xterm");
    }
}
