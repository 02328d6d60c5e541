package io.rrtcp.config;

import java.nio.ByteOrder;

/**
 * How one server cuts its clients' byte stream into messages ({@code tcp.servers.<name>.framing}): at a delimiter
 * (the default, as upstream), by a length field in each frame's header, or one message per read.
 */
public sealed interface Framing permits Framing.Delimiter, Framing.Length, Framing.Raw {
    Framing DELIMITER = new Delimiter();
    Framing RAW = new Raw();

    /** The value of the {@code framing} key: {@code delimiter}, {@code length} or {@code raw}. */
    String kind();

    /** Messages end with the server's {@code delimiter} (kept in {@link TcpServerConfig#delimiter()}). */
    record Delimiter() implements Framing {
        @Override
        public String kind() {
            return "delimiter";
        }
    }

    /** Every read of the socket is one message. */
    record Raw() implements Framing {
        @Override
        public String kind() {
            return "raw";
        }

        @Override
        public String toString() {
            return "raw";
        }
    }

    /**
     * A frame is {@code offset} bytes, a length field, then {@code value + adjust} more bytes. The whole frame, header
     * included, is the message; Netty's LengthFieldBasedFrameDecoder counts the same way.
     *
     * @param offset bytes before the length field
     * @param size   the field's width in bytes: 1, 2, 3, 4 or 8; {@link #VARINT} for a base-128 varint of at most
     *               4 bytes, low group first (MQTT's remaining length, protobuf's varint)
     * @param order  byte order of a fixed-width field (unused for a varint)
     * @param adjust added to the field's value to give the number of bytes after the field
     */
    record Length(int offset, int size, ByteOrder order, int adjust) implements Framing {
        public static final int VARINT = 0;
        /** A varint has at most this many bytes (MQTT's limit, 268,435,455). */
        public static final int MAX_VARINT_BYTES = 4;
        /** The longest header the framer has to buffer before it knows a frame's length. */
        public static final int MAX_OFFSET = 65_535;

        public Length {
            java.util.Objects.requireNonNull(order, "order");
            if (offset < 0 || offset > MAX_OFFSET) {
                throw new IllegalArgumentException("offset must be from 0 to " + MAX_OFFSET + ", got " + offset);
            }
            if (size != VARINT && size != 1 && size != 2 && size != 3 && size != 4 && size != 8) {
                throw new IllegalArgumentException("size must be 1, 2, 3, 4, 8 or varint, got " + size);
            }
        }

        public boolean varint() {
            return size == VARINT;
        }

        /** The header bytes needed to read a fixed-width field; for a varint, those before its last byte can come. */
        public int minHeader() {
            return offset + (varint() ? 1 : size);
        }

        @Override
        public String kind() {
            return "length";
        }

        @Override
        public String toString() {
            return "length offset=" + offset + " size=" + (varint() ? "varint" : size)
                    + (varint() ? "" : " order=" + (order == ByteOrder.BIG_ENDIAN ? "big" : "little"))
                    + " adjust=" + adjust;
        }
    }
}
