package dev.berth.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ProcessTableTest {
    private static final String PS_EF = """
            UID          PID    PPID  C STIME TTY          TIME CMD
            root           1       0  0 09:00 ?        00:00:01 /sbin/init
            root         700     650  0 09:01 ?        00:00:00 sleep 300
            root         701     700  0 09:01 ?        00:00:00 sh -c echo a  b
            """;

    @Test
    void parse_keepsTheContainersRows_andJoinsTheCommandIntoTheLastColumn() throws Exception {
        ProcessTable.Table t = ProcessTable.parse(PS_EF, Set.of(700L, 701L));
        assertThat(t.titles()).containsExactly("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD");
        assertThat(t.processes()).containsExactly(
                List.of("root", "700", "650", "0", "09:01", "?", "00:00:00", "sleep 300"),
                List.of("root", "701", "700", "0", "09:01", "?", "00:00:00", "sh -c echo a b"));
    }

    @Test
    void parse_keepsThreadRowsOfKeptProcessesOnly() throws Exception {
        String threads = "  PID TID CMD\n  700   - sleep\n    -  700 -\n    1   - init\n    -    1 -\n";
        ProcessTable.Table t = ProcessTable.parse(threads, Set.of(700L));
        assertThat(t.processes()).containsExactly(List.of("700", "-", "sleep"), List.of("-", "700", "-"));
    }

    @Test
    void parse_withoutPidColumn_isDockersError() {
        assertThatThrownBy(() -> ProcessTable.parse("STAT COMMAND\nS sleep\n", Set.of(1L)))
                .hasMessage("Couldn't find PID field in ps output");
    }

    @Test
    void validate_refusesRenamingAColumnToPid() throws Exception {
        ProcessTable.validate("-o pid,comm");
        ProcessTable.validate("-o PID=PID");
        assertThatThrownBy(() -> ProcessTable.validate("-o user=PID")).hasMessage("specifying \"user=PID\" is not allowed");
    }
}
