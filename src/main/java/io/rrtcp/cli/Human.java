package io.rrtcp.cli;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Numbers for people, as go-humanize prints them in {@code rr workers}: {@code 21 MB}, {@code 1,234}, {@code 3 minutes ago}. */
final class Human {
    private static final String[] SI = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    private Human() {
    }

    /** SI units (base 1000): below 10 units one decimal, else whole: {@code 5.0 MB}, {@code 21 MB}, {@code 12 B}. */
    static String bytes(long n) {
        if (n < 10) {
            return n + " B";
        }
        int e = (int) Math.floor(Math.log(n) / Math.log(1000));
        double value = Math.floor(n / Math.pow(1000, e) * 10 + 0.5) / 10;
        return String.format(Locale.ROOT, value < 10 ? "%.1f %s" : "%.0f %s", value, SI[e]);
    }

    static String comma(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** How long ago {@code t} was: {@code now}, {@code 1 second ago}, {@code 3 minutes ago}, {@code 2 days ago}. */
    static String ago(Instant t, Instant now) {
        long s = Duration.between(t, now).toSeconds();
        if (s < 1) {
            return "now";
        }
        long[] limits = {60, 3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400, Long.MAX_VALUE};
        long[] units = {1, 60, 3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400};
        String[] names = {"second", "minute", "hour", "day", "week", "month", "year"};
        for (int i = 0; i < limits.length; i++) {
            if (s < limits[i]) {
                long v = s / units[i];
                return v + " " + names[i] + (v == 1 ? "" : "s") + " ago";
            }
        }
        return "long ago";
    }
}
