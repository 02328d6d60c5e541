package io.rrtcp.log;

import com.eclipsesource.json.JsonObject;

import java.io.PrintStream;
import java.util.Locale;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One line per event, in RoadRunner's manner: time, level, component, message, then {@code key=value} pairs.
 * A component gets its logger with {@link #get(String)}; where lines go, their format and the lowest level shown are
 * global, unless a channel ({@code logs.channels} in the config) sets them for that component.
 */
public final class Log {
    /** Severity, lowest first. */
    public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    /** How a line looks: RoadRunner's text line, a JSON object per line, or the message alone. */
    public enum Format { CONSOLE, JSON, RAW }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(ZoneOffset.UTC);
    private static final ReentrantLock OUTPUT_LOCK = new ReentrantLock();
    private static volatile PrintStream out = System.err;
    private static volatile Level threshold = Level.INFO;
    private static volatile Format format = Format.CONSOLE;

    /** A component's own level, format and output (upstream's {@code logs.channels.<name>}). */
    public record Channel(Level threshold, Format format, PrintStream out) {
    }

    /** Channels by component name; usually none. */
    private static volatile java.util.Map<String, Channel> channels = java.util.Map.of();

    private final String component;

    private Log(String component) {
        this.component = component;
    }

    public static Log get(String component) {
        return new Log(component);
    }

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static void setOutput(PrintStream stream) {
        out = stream;
    }

    public static void setFormat(Format lineFormat) {
        format = lineFormat;
    }

    /** Gives the named components their own level, format and output; all others keep the global ones. */
    public static void setChannels(java.util.Map<String, Channel> byComponent) {
        channels = java.util.Map.copyOf(byComponent);
    }

    public boolean enabled(Level level) {
        Channel c = channels.get(component);
        return level.ordinal() >= (c == null ? threshold : c.threshold()).ordinal();
    }

    public void debug(String message, Object... keyValues) {
        log(Level.DEBUG, message, keyValues);
    }

    public void info(String message, Object... keyValues) {
        log(Level.INFO, message, keyValues);
    }

    public void warn(String message, Object... keyValues) {
        log(Level.WARN, message, keyValues);
    }

    public void error(String message, Object... keyValues) {
        log(Level.ERROR, message, keyValues);
    }

    /** Logs {@code message} with alternating keys and values; a value with spaces or quotes is quoted. */
    public void log(Level level, String message, Object... keyValues) {
        Channel c = channels.get(component);
        if (level == Level.OFF || level.ordinal() < (c == null ? threshold : c.threshold()).ordinal()) {
            return;
        }
        PrintStream target = c == null ? out : c.out();
        String text = switch (c == null ? format : c.format()) {
            case CONSOLE -> console(level, message, keyValues);
            case JSON -> json(level, message, keyValues);
            case RAW -> message;
        };
        OUTPUT_LOCK.lock();
        try {
            target.println(text);
        } finally {
            OUTPUT_LOCK.unlock();
        }
    }

    private String json(Level level, String message, Object... keyValues) {
        JsonObject line = new JsonObject()
                .add("level", level.name().toLowerCase(Locale.ROOT))
                .add("ts", TIME.format(Instant.now()))
                .add("logger", component)
                .add("msg", message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            Object v = keyValues[i + 1];
            String key = String.valueOf(keyValues[i]);
            switch (v) {
                case Integer n -> line.add(key, n);
                case Long n -> line.add(key, n);
                case Double n -> line.add(key, n);
                case Boolean b -> line.add(key, b);
                case null, default -> line.add(key, text(v));
            }
        }
        return line.toString();
    }

    private String console(Level level, String message, Object... keyValues) {
        StringBuilder line = new StringBuilder(96)
                .append(TIME.format(Instant.now())).append('\t')
                .append(level).append('\t')
                .append(component).append('\t')
                .append(message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.append(' ').append(keyValues[i]).append('=').append(quote(text(keyValues[i + 1])));
        }
        return line.toString();
    }

    /** Durations as 60s / 500ms, socket addresses as host:port; everything else as its string. */
    private static String text(Object value) {
        if (value instanceof Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
        }
        if (value instanceof InetSocketAddress a) {
            String host = a.getHostString();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(value);
    }

    private static String quote(String value) {
        boolean plain = !value.isEmpty();
        for (int i = 0; i < value.length() && plain; i++) {
            char c = value.charAt(i);
            plain = c > ' ' && c != '"' && c != '=' && c < 0x7F;
        }
        if (plain) {
            return value;
        }
        StringBuilder q = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\r' -> q.append("\\r");
                case '\t' -> q.append("\\t");
                default -> q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
