package io.rrtcp.config;

import java.time.Duration;
import java.util.Set;

/** Reads the connection limits of {@code tcp} or of one {@code tcp.servers.<name>} entry over inherited defaults. */
final class ConnectionLimitsReader {
    static final Set<String> KEYS =
            Set.of("max_message_size", "idle_timeout", "read_timeout", "max_connections", "write_timeout");
    /** Arrays cannot be larger; a bigger message could not be handed to a worker anyway. */
    private static final long LARGEST_MESSAGE = Integer.MAX_VALUE - 1024;

    private ConnectionLimitsReader() {
    }

    /** The limits written in {@code section}, each absent one taken from {@code inherited}. */
    static ConnectionLimits read(Node section, ConnectionLimits inherited) {
        return new ConnectionLimits(
                maxMessageSize(section.get("max_message_size"), inherited.maxMessageSize()),
                timeout(section.get("idle_timeout"), inherited.idleTimeout()),
                timeout(section.get("read_timeout"), inherited.readTimeout()),
                maxConnections(section.get("max_connections"), inherited.maxConnections()),
                timeout(section.get("write_timeout"), inherited.writeTimeout()));
    }

    private static int maxMessageSize(Node node, int inherited) {
        if (node.isAbsent()) {
            return inherited;
        }
        long bytes = sizeBytes(node, "16");
        if (bytes < 1 || bytes > LARGEST_MESSAGE) {
            throw node.error("must be from 1B to " + Sizes.format(LARGEST_MESSAGE / (1L << 20) * (1L << 20))
                    + ", got " + node.shown());
        }
        return (int) bytes;
    }

    /**
     * A size key in bytes: integer megabytes ({@code example}) or a string with a unit ("512KB", "16MB"); -1 for a
     * negative number. Fails, naming the key, for anything else.
     */
    static long sizeBytes(Node node, String example) {
        if (node.value() instanceof String text) {
            try {
                return Sizes.parse(text);
            } catch (IllegalArgumentException e) {
                throw node.error(e.getMessage());
            }
        }
        Long megabytes = node.value() instanceof Number ? node.weakInteger() : null;
        if (megabytes == null) {
            throw node.error("must be a size: megabytes as an integer (" + example + ") or a string with a unit "
                    + "(\"512KB\", \"" + example + "MB\"), got " + node.shown());
        }
        return megabytes < 0 ? -1 : megabytes * (1L << 20);
    }

    /** Absent: inherited; 0 turns the limit off. */
    private static Duration timeout(Node node, Duration inherited) {
        return node.isAbsent() ? inherited : ConfigLoader.duration(node);
    }

    private static int maxConnections(Node node, int inherited) {
        if (node.isAbsent()) {
            return inherited;
        }
        Long n = node.weakInteger();
        if (n == null || n < 0 || n > Integer.MAX_VALUE) {
            throw node.error("must be an integer >= 0 (0 = unlimited), got " + node.shown());
        }
        return n.intValue();
    }
}
