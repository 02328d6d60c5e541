package io.rrtcp.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;

/**
 * Parses durations written the way RoadRunner configs write them: Go's {@code time.ParseDuration} syntax
 * ({@code 500ms}, {@code 1.5s}, {@code 1h30m}), restricted to values that make sense as timeouts (not negative).
 */
public final class Durations {
    private static final BigDecimal MAX_NANOS = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final Map<String, Long> UNIT_NANOS = Map.of(
            "ns", 1L,
            "us", 1_000L,
            "\u00b5s", 1_000L, // micro sign, as Go accepts
            "\u03bcs", 1_000L, // Greek mu, as Go accepts
            "ms", 1_000_000L,
            "s", 1_000_000_000L,
            "m", 60_000_000_000L,
            "h", 3_600_000_000_000L);

    private Durations() {
    }

    /**
     * Parses {@code text} such as {@code 60s} or {@code 1h30m}; {@code "0"} is the only number allowed without a unit.
     *
     * @throws IllegalArgumentException naming the problem and the text, e.g. {@code missing unit in duration "60"}
     */
    public static Duration parse(String text) {
        int start = text.startsWith("-") || text.startsWith("+") ? 1 : 0;
        boolean negative = text.startsWith("-");
        if (text.substring(start).equals("0")) {
            return Duration.ZERO;
        }
        if (start == text.length()) {
            throw invalid(text);
        }
        BigDecimal nanos = BigDecimal.ZERO;
        int i = start;
        while (i < text.length()) {
            int numberEnd = numberEnd(text, i);
            int unitEnd = unitEnd(text, numberEnd);
            if (unitEnd == numberEnd) {
                throw new IllegalArgumentException("missing unit in duration \"" + text + "\"");
            }
            Long unit = UNIT_NANOS.get(text.substring(numberEnd, unitEnd));
            if (unit == null) {
                throw invalid(text);
            }
            nanos = nanos.add(new BigDecimal(text.substring(i, numberEnd)).multiply(BigDecimal.valueOf(unit)));
            if (nanos.compareTo(MAX_NANOS) > 0) {
                throw invalid(text);
            }
            i = unitEnd;
        }
        if (negative && nanos.signum() > 0) {
            throw new IllegalArgumentException("must not be negative, got \"" + text + "\"");
        }
        // Go truncates fractions of a nanosecond too.
        return Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    }

    /** End of the decimal number at {@code from} ({@code 1}, {@code 1.5}, {@code .5}, {@code 1.}); at least one digit. */
    private static int numberEnd(String text, int from) {
        int i = digitsEnd(text, from);
        boolean digits = i > from;
        if (i < text.length() && text.charAt(i) == '.') {
            int fractionStart = i + 1;
            i = digitsEnd(text, fractionStart);
            digits |= i > fractionStart;
        }
        if (!digits) {
            throw invalid(text);
        }
        return i;
    }

    private static int digitsEnd(String text, int from) {
        int i = from;
        while (i < text.length() && isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Like Go, a unit is everything up to the next digit or dot; unknown units are rejected by the caller. */
    private static int unitEnd(String text, int from) {
        int i = from;
        while (i < text.length() && text.charAt(i) != '.' && !isDigit(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static IllegalArgumentException invalid(String text) {
        return new IllegalArgumentException("invalid duration \"" + text + "\" (use e.g. 500ms, 60s, 1m, 1h30m)");
    }
}
