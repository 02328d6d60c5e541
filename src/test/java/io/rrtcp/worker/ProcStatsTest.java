package io.rrtcp.worker;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcStatsTest {
    @Test
    void aLiveProcessHasResidentMemoryAndACpuShare() {
        ProcStats self = ProcStats.of(ProcessHandle.current().pid());
        assertTrue(self.rssBytes() > 10 * 1_048_576L, "a JVM uses more than 10 MB: " + self);
        assertTrue(self.cpuPercent() > 0 && self.cpuPercent() < 100.0 * Runtime.getRuntime().availableProcessors() + 1,
                self.toString());
    }

    @Test
    void aProcessThatCannotBeReadReportsZerosInsteadOfFailing() {
        assertEquals(ProcStats.NONE, ProcStats.of(Integer.MAX_VALUE + 7L));
    }
}
