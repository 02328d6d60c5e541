package io.rrtcp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** max_message_size, idle_timeout, read_timeout, max_connections, write_timeout: defaults, inheritance, errors. */
class ConnectionLimitsConfigTest {
    private static final Path FILE = Path.of("conf/.rr.yaml");
    private static final int MB = 1 << 20;

    /** A config with servers smtp and echo: {@code tcpExtra} under tcp, {@code serverExtra} under smtp only. */
    static RrConfig parse(String tcpExtra, String serverExtra) {
        String yaml = "version: '3'\nserver:\n  command: php w.php\ntcp:\n" + tcpExtra.indent(2)
                + "  servers:\n    smtp:\n      addr: 127.0.0.1:25\n" + serverExtra.indent(6)
                + "    echo:\n      addr: 127.0.0.1:7\n";
        return ConfigLoader.parse(yaml, FILE);
    }

    private static ConnectionLimits limits(RrConfig config, String server) {
        return config.tcp().servers().get(server).limits();
    }

    @Test
    void defaultsAre16MbNoIdleOrReadTimeoutNoConnectionCapAnd60sWriteTimeout() {
        ConnectionLimits limits = limits(parse("", ""), "smtp");
        assertEquals(new ConnectionLimits(16 * MB, Duration.ZERO, Duration.ZERO, 0, Duration.ofSeconds(60)), limits);
        assertEquals(ConnectionLimits.DEFAULTS, limits);
    }

    @Test
    void tcpSectionSetsTheDefaultAndAServerOverridesIt() {
        RrConfig config = parse("""
                max_message_size: 2
                idle_timeout: 30s
                read_timeout: 5s
                max_connections: 100
                write_timeout: 10s
                """, """
                max_message_size: "512KB"
                idle_timeout: 0
                max_connections: 2
                """);
        assertEquals(new ConnectionLimits(512 * 1024, Duration.ZERO, Duration.ofSeconds(5), 2, Duration.ofSeconds(10)),
                limits(config, "smtp"));
        assertEquals(new ConnectionLimits(2 * MB, Duration.ofSeconds(30), Duration.ofSeconds(5), 100,
                Duration.ofSeconds(10)), limits(config, "echo"));
        assertEquals(List.of(), config.warnings());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "1            | 1048576",
            "'\"16\"'     | 16777216",
            "'\"16MB\"'   | 16777216",
            "'\"16 mb\"'  | 16777216",
            "'\"512KB\"'  | 524288",
            "'\"512k\"'   | 524288",
            "'\"100B\"'   | 100",
            "'\"1GiB\"'   | 1073741824",
    })
    void sizesAreMegabytesOrStringsWithAUnit(String yaml, int bytes) {
        assertEquals(bytes, limits(parse("", "max_message_size: " + yaml), "smtp").maxMessageSize());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "max_message_size: 0          | max_message_size | must be from 1B to 2047MB, got 0",
            "max_message_size: -1         | max_message_size | must be from 1B to 2047MB, got -1",
            "max_message_size: 4096       | max_message_size | must be from 1B to 2047MB, got 4096",
            "max_message_size: 1.5        | max_message_size | must be a size: megabytes as an integer (16) or a string with a unit (\"512KB\", \"16MB\"), got 1.5",
            "max_message_size: '16 TB'    | max_message_size | invalid size \"16 TB\": unknown unit \"TB\" (use B, KB, MB or GB)",
            "max_message_size: lots       | max_message_size | invalid size \"lots\" (use e.g. 16, 512KB, 16MB, 1GB)",
            "idle_timeout: 5 minutes      | idle_timeout     | invalid duration \"5 minutes\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "read_timeout: '-1s'          | read_timeout     | must not be negative, got \"-1s\"",
            "write_timeout: '30'          | write_timeout    | missing unit in duration \"30\"",
            "max_connections: -3          | max_connections  | must be an integer >= 0 (0 = unlimited), got -3",
            "max_connections: many        | max_connections  | must be an integer >= 0 (0 = unlimited), got \"many\"",
    })
    void badValuesNameTheKey(String line, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("", line));
        assertEquals("tcp.servers.smtp." + key, e.key());
        assertEquals("conf/.rr.yaml: tcp.servers.smtp." + key + ": " + problem, e.getMessage());
        ConfigException inTcp = assertThrows(ConfigException.class, () -> parse(line, ""));
        assertEquals("tcp." + key, inTcp.key());
    }

    @Test
    void aBareNumberForATimeoutIsNanosecondsWithAWarning() {
        RrConfig config = parse("idle_timeout: 30", "");
        assertEquals(Duration.ofNanos(30), limits(config, "smtp").idleTimeout());
        assertEquals(List.of("conf/.rr.yaml: tcp.idle_timeout: bare number 30 is 30 nanoseconds; write 30s if you "
                + "meant seconds"), config.warnings());
    }
}
