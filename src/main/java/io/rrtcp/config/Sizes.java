package io.rrtcp.config;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Byte sizes as the config writes them: a bare integer is megabytes (like {@code read_buf_size}); a string may carry
 * a unit: {@code B}, {@code KB}/{@code K}/{@code KiB}, {@code MB}/{@code M}/{@code MiB}, {@code GB}/{@code G}/{@code GiB}.
 * Units are 1024-based, as RoadRunner's megabytes are.
 */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+)\\s*([a-zA-Z]*)\\s*");

    private Sizes() {
    }

    /**
     * Parses {@code text} into bytes.
     *
     * @throws IllegalArgumentException naming the problem, for anything else
     */
    public static long parse(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size \"" + text + "\" (use e.g. 16, 512KB, 16MB, 1GB)");
        }
        long multiplier = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "b" -> 1L;
            case "k", "kb", "kib" -> 1L << 10;
            case "", "m", "mb", "mib" -> 1L << 20;
            case "g", "gb", "gib" -> 1L << 30;
            default -> throw new IllegalArgumentException("invalid size \"" + text + "\": unknown unit \""
                    + m.group(2) + "\" (use B, KB, MB or GB)");
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), multiplier);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("size \"" + text + "\" is too large");
        }
    }

    /** Bytes as the user would write them: 16MB, 512KB, 100B. */
    public static String format(long bytes) {
        if (bytes % (1L << 20) == 0) {
            return (bytes >> 20) + "MB";
        }
        return bytes % 1024 == 0 ? (bytes >> 10) + "KB" : bytes + "B";
    }
}
