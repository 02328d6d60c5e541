package io.rrtcp.log;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three line formats of the {@code logs} section and the level threshold. */
class LogTest {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    private String logged(Log.Format format, Log.Level threshold) {
        Log.setOutput(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        Log.setFormat(format);
        Log.setLevel(threshold);
        Log log = Log.get("tcp");
        log.debug("hidden unless debug");
        log.info("connection accepted", "server", "main", "count", 3, "quoted", "a b");
        return buffer.toString(StandardCharsets.UTF_8);
    }

    @AfterEach
    void restore() {
        Log.setOutput(System.err);
        Log.setFormat(Log.Format.CONSOLE);
        Log.setLevel(Log.Level.INFO);
    }

    @Test
    void jsonLinesCarryLevelLoggerMessageAndTypedFields() {
        String out = logged(Log.Format.JSON, Log.Level.INFO);
        assertEquals(1, out.lines().count(), out);
        JsonObject line = Json.parse(out.strip()).asObject();
        assertEquals("info", line.getString("level", ""));
        assertEquals("tcp", line.getString("logger", ""));
        assertEquals("connection accepted", line.getString("msg", ""));
        assertEquals("main", line.getString("server", ""));
        assertEquals(3, line.getInt("count", 0));
        assertEquals("a b", line.getString("quoted", ""));
        assertTrue(line.getString("ts", "").endsWith("Z"), out);
    }

    @Test
    void consoleLinesAndRawMessages() {
        String console = logged(Log.Format.CONSOLE, Log.Level.DEBUG);
        assertTrue(console.contains("DEBUG\ttcp\thidden unless debug"), console);
        assertTrue(console.contains("INFO\ttcp\tconnection accepted server=main count=3 quoted=\"a b\""), console);
        buffer.reset();
        assertEquals("connection accepted\n", logged(Log.Format.RAW, Log.Level.INFO));
        buffer.reset();
        assertEquals("", logged(Log.Format.RAW, Log.Level.OFF));
    }
}
