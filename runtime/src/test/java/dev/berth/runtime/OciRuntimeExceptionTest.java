package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.runtime.OciRuntimeException.Kind;
import org.junit.jupiter.api.Test;

class OciRuntimeExceptionTest {
    @Test
    void classify_followsDockersExitCodes() {
        assertThat(new OciRuntimeException("create",
                "runc create failed: unable to start container process: exec: \"nosuchcmd\": executable file not found in $PATH").kind())
                .isEqualTo(Kind.NOT_FOUND);
        assertThat(new OciRuntimeException("start", "executable file `/nope` not found: No such file or directory").kind().exitCode())
                .isEqualTo(127);
        assertThat(new OciRuntimeException("create", "exec: \"/etc/passwd\": permission denied").kind()).isEqualTo(Kind.CANNOT_INVOKE);
        assertThat(new OciRuntimeException("create", "cgroup: cannot set memory limit").kind().exitCode()).isEqualTo(125);
    }

    @Test
    void message_readsLikeDockers() {
        OciRuntimeException e = new OciRuntimeException("create", "runc create failed: boom");
        assertThat(e).hasMessage("OCI runtime create failed: runc create failed: boom: unknown");
        assertThat(e.runtimeMessage()).isEqualTo("runc create failed: boom");
    }

    @Test
    void runtimeMessage_extractsLogrusMsgOrStripsCrunsPrefix() {
        assertThat(ContainerRuntime.runtimeMessage(
                "time=\"2026-11-22T13:52:25Z\" level=error msg=\"runc create failed: exec: \\\"x\\\": executable file not found in $PATH\"\n"))
                .isEqualTo("runc create failed: exec: \"x\": executable file not found in $PATH");
        assertThat(ContainerRuntime.runtimeMessage("Error: container `a` does not exist\n")).isEqualTo("container `a` does not exist");
    }
}
