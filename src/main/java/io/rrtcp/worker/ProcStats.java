package io.rrtcp.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Memory and CPU figures of a process from Linux /proc, computed the way gopsutil does for upstream's informer.
 * A process whose files cannot be read (gone, not Linux) reports zeros: one unreadable worker never spoils a list.
 */
public record ProcStats(long rssBytes, double cpuPercent) {
    static final ProcStats NONE = new ProcStats(0, 0);
    /** USER_HZ: Linux reports process times in these ticks; it is 100 on every mainstream architecture. */
    private static final double CLOCK_TICKS = 100.0;

    static ProcStats of(long pid) {
        return new ProcStats(rss(pid), cpuPercent(pid));
    }

    /** VmRSS from /proc/PID/status, in bytes; 0 when unreadable. */
    static long rss(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone or unreadable: reported as 0
        }
        return 0;
    }

    /** (utime + stime) / seconds since the process started x 100, from /proc/PID/stat and /proc/uptime; 0 when unreadable. */
    static double cpuPercent(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
            double cpuSeconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLOCK_TICKS; // fields 14, 15
            double startedAt = Long.parseLong(f[19]) / CLOCK_TICKS;                            // field 22
            double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
            double wall = uptime - startedAt;
            return wall <= 0 ? 0 : 100.0 * cpuSeconds / wall;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
