package io.rrtcp.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Configs from the adversarial probe (issue 10) that used to start and fail later: now exit 2 naming key and file. */
class AdversarialConfigTest {
    @TempDir
    Path dir;

    private Path config(String serverLines, String extra) throws IOException {
        Path file = dir.resolve(".rr.yaml");
        Files.writeString(file, "version: '3'\nserver:\n  command: \"php worker.php\"\ntcp:\n  servers:\n    main:\n"
                + serverLines + "  pool:\n    num_workers: 1\n" + extra);
        return file;
    }

    private static void assertRefused(Path file, String key, String... parts) {
        CliRun run = CliRun.of("serve", "-c", file.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains(file.toString()), "names the file: " + run.err());
        assertTrue(run.err().contains(key + ": "), "names " + key + ": " + run.err());
        for (String part : parts) {
            assertTrue(run.err().contains(part), "says '" + part + "': " + run.err());
        }
        assertFalse(run.err().contains("\tat "), "no stack trace: " + run.err());
    }

    /** Item 3: every connection used to die with IllegalArgumentException and a stack trace. */
    @Test
    void aDelimiterLongerThanMaxMessageSizeIsRefused() throws IOException {
        Path file = config("      addr: 127.0.0.1:22001\n      delimiter: \"" + "D".repeat(2048) + "\"\n"
                + "      max_message_size: \"1KB\"\n", "");
        assertRefused(file, "tcp.servers.main.delimiter", "the delimiter is 2048 bytes, longer than max_message_size (1024 bytes)",
                "raise tcp.servers.main.max_message_size");
    }

    /** Item 4: a 2 MiB delimiter with the default read_buf_size (1 MB) used to fail in the scanner. */
    @Test
    void aDelimiterLongerThanReadBufSizeIsRefusedWithTheBound() throws IOException {
        Path file = config("      addr: 127.0.0.1:22001\n      delimiter: \"" + "D".repeat(2 << 20) + "\"\n"
                + "      max_message_size: 64\n", "");
        assertRefused(file, "tcp.servers.main.delimiter",
                "the delimiter is 2097152 bytes, longer than read_buf_size (1048576 bytes)",
                "raise tcp.servers.main.read_buf_size");
    }

    /** Item 11: used to exit 1 with "Unresolved address", naming neither the file nor the key. */
    @Test
    void anAddressThatCannotResolveIsRefusedNamingTheKey() throws IOException {
        Path file = config("      addr: 999.1.1.1:22001\n", "");
        assertRefused(file, "tcp.servers.main.addr", "host \"999.1.1.1\"", "does not resolve");
    }
}
