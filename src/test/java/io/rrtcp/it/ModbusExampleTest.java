package io.rrtcp.it;

import io.rrtcp.support.DebianPackages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** examples/modbus (framing: length, MBAP's 2-byte length at offset 4) with the real mbpoll. */
@Timeout(value = 90, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ModbusExampleTest {
    private static String mbpoll;

    @TempDir
    Path dir;

    @BeforeAll
    static void client() {
        mbpoll = DebianPackages.require("mbpoll", "mbpoll").toString();
    }

    /** One poll (-1) of slave 1 over Modbus TCP with a 5 s timeout (the machine is shared and slow at times). */
    private Example.Run poll(Example modbus, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(mbpoll, "-m", "tcp", "-p", Integer.toString(modbus.port()),
                "-a", "1", "-o", "5", "-1"));
        command.addAll(List.of(args));
        command.add("127.0.0.1");
        return Example.run(dir, Duration.ofSeconds(30), command);
    }

    @Test
    void mbpollReadsHoldingRegisters() throws Exception {
        try (Example modbus = Example.start("modbus", "modbus")) {
            Example.Run run = poll(modbus, "-r", "1", "-c", "5");
            assertEquals(0, run.code(), run.output());
            assertTrue(run.output().contains("Protocol configuration: Modbus TCP"), run.output());
            assertTrue(run.output().contains("""
                    -- Polling slave 1...
                    [1]: \t1000
                    [2]: \t1001
                    [3]: \t1002
                    [4]: \t1003
                    [5]: \t1004
                    """), run.output());
        }
    }

    @Test
    void mbpollReadsTheWholeTableOf100RegistersInOneFrame() throws Exception {
        try (Example modbus = Example.start("modbus", "modbus")) {
            Example.Run run = poll(modbus, "-r", "1", "-c", "100");
            assertEquals(0, run.code(), run.output());
            assertTrue(run.output().contains("[1]: \t1000\n"), run.output());
            assertTrue(run.output().contains("[100]: \t1099\n"), run.output());
        }
    }

    @Test
    void addressesOutsideTheTableAndOtherFunctionsGetModbusExceptions() throws Exception {
        try (Example modbus = Example.start("modbus", "modbus")) {
            Example.Run outside = poll(modbus, "-r", "99", "-c", "5");
            assertNotEquals(0, outside.code(), outside.output());
            assertTrue(outside.output().contains("Read output (holding) register failed: Illegal data address"),
                    outside.output());
            Example.Run coils = poll(modbus, "-t", "0", "-r", "1", "-c", "5");
            assertNotEquals(0, coils.code(), coils.output());
            assertTrue(coils.output().contains("Read discrete output (coil) failed: Illegal function"), coils.output());
        }
    }
}
