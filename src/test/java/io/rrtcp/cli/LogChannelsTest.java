package io.rrtcp.cli;

import io.rrtcp.config.ConfigLoader;
import io.rrtcp.config.LogsConfig;
import io.rrtcp.config.RrConfig;
import io.rrtcp.log.Log;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** logs.channels: a component's own level, format and output, as upstream; the rest inherit the section's. */
class LogChannelsTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() throws Exception {
        LogSetup.apply(LogsConfig.DEFAULT, dir, false);
    }

    private RrConfig parse(String logs) {
        return ConfigLoader.parse("""
                version: '3'
                server:
                  command: php w.php
                tcp:
                  servers:
                    main:
                      addr: 127.0.0.1:0
                """ + logs, dir.resolve(".rr.yaml"));
    }

    @Test
    void aChannelTakesWhatItLeavesOutFromTheSection() {
        RrConfig c = parse("""
                logs:
                  level: info
                  output: all.log
                  channels:
                    POOL:
                      level: warn
                    php:
                      mode: production
                      output: [stdout, php.log]
                """);
        assertEquals(new LogsConfig("development", "info", "", List.of("all.log"), Map.of(
                "pool", new LogsConfig("development", "warn", "", List.of("all.log")),
                "php", new LogsConfig("production", "info", "", List.of("stdout", "php.log")))), c.logs());
    }

    @Test
    void eachComponentLogsAtItsChannelsLevelInItsFormatToItsOutput() throws Exception {
        LogSetup.apply(parse("""
                logs:
                  level: info
                  output: all.log
                  channels:
                    pool:
                      level: warn
                    php:
                      encoding: json
                      output: php.log
                """).logs(), dir, false);
        Log.get("server").info("server line", "k", 1);
        Log.get("pool").info("pool info line");
        Log.get("pool").warn("pool warn line");
        Log.get("php").info("worker says hi", "pid", 7);
        String all = Files.readString(dir.resolve("all.log"));
        String php = Files.readString(dir.resolve("php.log"));
        assertTrue(all.contains("INFO\tserver\tserver line k=1"), all);
        assertFalse(all.contains("pool info line"), "below the pool channel's level: " + all);
        assertTrue(all.contains("WARN\tpool\tpool warn line"), all);
        assertFalse(all.contains("worker says hi"), "php has its own output: " + all);
        assertTrue(php.contains("\"logger\":\"php\"") && php.contains("\"msg\":\"worker says hi\""), php);
    }
}
