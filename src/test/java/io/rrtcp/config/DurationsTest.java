package io.rrtcp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "500ms,        500000000",
            "1.5s,         1500000000",
            "1h30m,        5400000000000",
            "2m3s,         123000000000",
            "60s,          60000000000",
            "1m,           60000000000",
            "1h,           3600000000000",
            "100ns,        100",
            "7us,          7000",
            "7µs,          7000",
            "7μs,          7000",
            "0.5ms,        500000",
            ".5s,          500000000",
            "1.s,          1000000000",
            "1h0m0.25s,    3600250000000",
            "+5s,          5000000000",
            "0,            0",
            "0s,           0",
            "-0,           0",
            "1.0000000001s, 1000000000",
    })
    void goDurationSyntaxIsAccepted(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), Durations.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "60     | missing unit in duration \"60\"",
            "1.5    | missing unit in duration \"1.5\"",
            "1h30   | missing unit in duration \"1h30\"",
            "1d     | invalid duration \"1d\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "10x    | invalid duration \"10x\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "abc    | invalid duration \"abc\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "s      | invalid duration \"s\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            ".s     | invalid duration \".s\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "1S     | invalid duration \"1S\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "1 s    | invalid duration \"1 s\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "-      | invalid duration \"-\" (use e.g. 500ms, 60s, 1m, 1h30m)",
            "-1s    | must not be negative, got \"-1s\"",
            "-1h30m | must not be negative, got \"-1h30m\"",
    })
    void badDurationsAreRejectedWithTheReason(String text, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(text));
        assertEquals(message, e.getMessage());
    }

    @Test
    void emptyTextIsInvalid() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(""));
        assertEquals("invalid duration \"\" (use e.g. 500ms, 60s, 1m, 1h30m)", e.getMessage());
    }

    @Test
    void valuesBeyondGoRangeAreInvalid() {
        // Go's time.Duration holds at most ~292 years of nanoseconds.
        assertEquals(Duration.ofHours(2_562_047), Durations.parse("2562047h"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse("2562048h"));
        assertEquals("invalid duration \"2562048h\" (use e.g. 500ms, 60s, 1m, 1h30m)", e.getMessage());
    }
}
