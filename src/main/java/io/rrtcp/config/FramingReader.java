package io.rrtcp.config;

import java.nio.ByteOrder;
import java.util.Set;

/** Reads {@code framing} and {@code length} of one {@code tcp.servers.<name>} entry. */
final class FramingReader {
    static final Set<String> KEYS = Set.of("framing", "length");
    private static final Set<String> LENGTH_KEYS = Set.of("offset", "size", "order", "adjust");
    private static final String KINDS = "delimiter (default), length or raw";

    private FramingReader() {
    }

    /** The server's framing; absent means delimiter framing, as before the key existed. */
    static Framing read(Node server) {
        Node kind = server.get("framing");
        Node length = server.get("length");
        Framing framing = switch (kind.isAbsent() ? "delimiter" : text(kind, KINDS)) {
            case "delimiter" -> Framing.DELIMITER;
            case "raw" -> Framing.RAW;
            case "length" -> length(length);
            default -> throw kind.error("must be " + KINDS + ", got " + kind.shown());
        };
        if (!(framing instanceof Framing.Length) && length.isWritten()) {
            throw length.error("is only used with framing: length (framing is " + framing.kind() + ")");
        }
        Node delimiter = server.get("delimiter");
        if (!(framing instanceof Framing.Delimiter) && delimiter.isWritten()) {
            throw delimiter.error("a delimiter cannot be used with framing: " + framing.kind()
                    + " (remove the delimiter, or set framing: delimiter)");
        }
        return framing;
    }

    private static Framing.Length length(Node length) {
        if (length.isAbsent()) {
            throw length.error("framing: length needs a length section with at least size "
                    + "(offset, size, order, adjust)");
        }
        if (!length.isMap()) {
            throw length.error("must be a map with offset, size, order and adjust, got " + length.shown());
        }
        length.warnUnknownKeys(LENGTH_KEYS);
        int size = size(length.get("size"));
        Node order = length.get("order");
        if (size == Framing.Length.VARINT && order.isWritten()) {
            order.warn("a varint has no byte order (ignored)");
        }
        return new Framing.Length(integer(length.get("offset"), 0, Framing.Length.MAX_OFFSET),
                size, order(order), integer(length.get("adjust"), -Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    private static int size(Node node) {
        if (node.isAbsent()) {
            throw node.error("the length field's size is required: 1, 2, 3, 4, 8 or varint");
        }
        if ("varint".equals(node.value())) {
            return Framing.Length.VARINT;
        }
        Long n = node.weakInteger();
        if (n == null || !Set.of(1L, 2L, 3L, 4L, 8L).contains(n)) {
            throw node.error("must be 1, 2, 3, 4, 8 (bytes) or varint, got " + node.shown());
        }
        return n.intValue();
    }

    private static ByteOrder order(Node node) {
        if (node.isAbsent()) {
            return ByteOrder.BIG_ENDIAN;
        }
        return switch (text(node, "big or little")) {
            case "big" -> ByteOrder.BIG_ENDIAN;
            case "little" -> ByteOrder.LITTLE_ENDIAN;
            default -> throw node.error("must be big or little, got " + node.shown());
        };
    }

    /** A whole number in [min, max]; absent means 0. */
    private static int integer(Node node, int min, int max) {
        if (node.isAbsent()) {
            return 0;
        }
        Long n = node.weakInteger();
        if (n == null || n < min || n > max) {
            throw node.error("must be an integer from " + min + " to " + max + ", got " + node.shown());
        }
        return n.intValue();
    }

    private static String text(Node node, String choices) {
        if (!(node.value() instanceof String text)) {
            throw node.error("must be " + choices + ", got " + node.shown());
        }
        return text;
    }
}
