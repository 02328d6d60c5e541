package io.rrtcp.rpc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * The small part of Go's {@code encoding/gob} that the {@code rr} CLI uses (spec §5.8): bool and string arguments,
 * and bool, int, string, {@code []string}, {@code WorkerList} and an empty jobs list as replies. Every reply body
 * carries its own type definitions, because upstream uses a fresh encoder per message.
 */
final class Gob {
    static final int BOOL = 1;
    static final int INT = 2;
    static final int STRING = 6;
    private static final int STRING_SLICE = 65;
    private static final int WORKER_LIST = 66;

    /** Type definition of {@code []string} as id 65. */
    private static final byte[] STRING_SLICE_DEF = hex("0cff81020102ff8200010c0000");

    /** Definitions: 66 = struct WorkerList{Workers 68}, 68 = []*process.State of 67, 67 = the state struct. */
    private static final byte[] WORKER_LIST_DEFS = hex(
            "25ff830301010a576f726b65724c69737401ff840001010107576f726b65727301ff88000000"
            + "1fff87020101105b5d2a70726f636573732e537461746501ff880001ff860000"
            + "71ff85030102ff860001080103506964010400010653746174757301040001084e756d4578656373010600010743726561746564"
            + "010400010b4d656d6f72795573616765010600010a43505550657263656e740108000107436f6d6d616e64010c000109537461"
            + "747573537472010c000000");

    /** A whole empty jobs-list reply (definitions and value), as upstream sends for plugins without jobs. */
    static final byte[] EMPTY_JOBS = hex(
            "0dff8b020102ff8c0001ff8a00007aff89030102ff8a0001090108506970656c696e65010c000106447269766572010c0001"
            + "055175657565010c000106416374697665010400010744656c61796564010400010852657365727665640104000105526561"
            + "647901020001085072696f72697479010600010c4572726f724d657373616765010c00000004ff8c0000");

    private Gob() {
    }

    // ---- replies -------------------------------------------------------------------------------------------------

    static byte[] bool(boolean value) {
        Writer w = new Writer();
        w.uint(0).uint(value ? 1 : 0);
        return message(BOOL, w);
    }

    static byte[] integer(long value) {
        Writer w = new Writer();
        w.uint(0).integer(value);
        return message(INT, w);
    }

    static byte[] string(String value) {
        Writer w = new Writer();
        w.uint(0).string(value);
        return message(STRING, w);
    }

    static byte[] strings(List<String> values) {
        Writer w = new Writer();
        w.uint(0).uint(values.size());
        values.forEach(w::string);
        return concat(STRING_SLICE_DEF, message(STRING_SLICE, w));
    }

    /** {@code WorkerList{Workers: [...]}}; zero-valued fields are left out, as gob does. */
    static byte[] workerList(List<WorkerStatus> workers) {
        Writer w = new Writer();
        if (!workers.isEmpty()) {
            w.uint(1).uint(workers.size());
            for (WorkerStatus s : workers) {
                Fields f = new Fields(w);
                f.integer(1, s.pid());
                f.integer(2, s.status());
                f.unsigned(3, s.numExecs());
                f.integer(4, s.createdNanos());
                f.unsigned(5, s.memoryUsage());
                f.float64(6, s.cpuPercent());
                f.string(7, s.command());
                f.string(8, s.statusStr());
                w.uint(0);
            }
        }
        w.uint(0);
        return concat(WORKER_LIST_DEFS, message(WORKER_LIST, w));
    }

    private static byte[] message(int typeId, Writer content) {
        Writer typed = new Writer().integer(typeId);
        byte[] body = concat(typed.bytes(), content.bytes());
        return concat(new Writer().uint(body.length).bytes(), body);
    }

    /** Writes a struct's non-zero fields as (index delta, value) pairs. */
    private static final class Fields {
        private final Writer w;
        private int last;

        Fields(Writer w) {
            this.w = w;
        }

        private Writer field(int index) {
            w.uint(index - last);
            last = index;
            return w;
        }

        void integer(int index, long v) {
            if (v != 0) {
                field(index).integer(v);
            }
        }

        void unsigned(int index, long v) {
            if (v != 0) {
                field(index).uint(v);
            }
        }

        void float64(int index, double v) {
            if (v != 0) {
                field(index).uint(Long.reverseBytes(Double.doubleToLongBits(v)));
            }
        }

        void string(int index, String v) {
            if (!v.isEmpty()) {
                field(index).string(v);
            }
        }
    }

    static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** Unsigned: one byte below 128, else the negated byte count and the big-endian bytes. */
        Writer uint(long v) {
            if (v >= 0 && v < 128) {
                out.write((int) v);
                return this;
            }
            int n = 8 - Long.numberOfLeadingZeros(v) / 8;
            out.write(-n & 0xFF);
            for (int i = n - 1; i >= 0; i--) {
                out.write((int) (v >>> (8 * i)));
            }
            return this;
        }

        Writer integer(long v) {
            return uint(v >= 0 ? v << 1 : (~v << 1) | 1);
        }

        Writer string(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            uint(b.length);
            out.writeBytes(b);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }

    // ---- requests ------------------------------------------------------------------------------------------------

    /**
     * Decodes a single top-level value of type {@code expected} (bool or string); an empty body is the zero value.
     * Type definitions in the stream are skipped (basic types need none).
     */
    static Object decode(byte[] data, int offset, int expected) throws RpcException {
        Reader r = new Reader(data, offset);
        while (r.more()) {
            int length = (int) r.uint();
            int end = r.pos + length;
            if (length <= 0 || end > data.length) {
                throw new RpcException("gob: bad message length " + length);
            }
            long typeId = r.integer();
            if (typeId < 0) {
                r.pos = end; // a type definition
                continue;
            }
            if (typeId != expected) {
                throw new RpcException("gob: decoding into local type " + typeName(expected)
                        + ", received remote type " + typeName((int) typeId));
            }
            if (r.uint() != 0) {
                throw new RpcException("gob: bad singleton value");
            }
            Object value = expected == BOOL ? Boolean.valueOf(r.uint() != 0) : r.string();
            if (r.pos != end) {
                throw new RpcException("gob: extra data in message");
            }
            return value;
        }
        return expected == BOOL ? Boolean.FALSE : "";
    }

    private static String typeName(int id) {
        return switch (id) {
            case BOOL -> "bool";
            case INT -> "int";
            case 3 -> "uint";
            case 4 -> "float64";
            case 5 -> "[]byte";
            case STRING -> "string";
            default -> "type id " + id;
        };
    }

    private static final class Reader {
        private final byte[] data;
        private int pos;

        Reader(byte[] data, int pos) {
            this.data = data;
            this.pos = pos;
        }

        boolean more() {
            return pos < data.length;
        }

        private int next() throws RpcException {
            if (pos >= data.length) {
                throw new RpcException("gob: unexpected end of data");
            }
            return data[pos++] & 0xFF;
        }

        long uint() throws RpcException {
            int b = next();
            if (b < 128) {
                return b;
            }
            int n = -(byte) b;
            if (n > 8) {
                throw new RpcException("gob: invalid uint");
            }
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = v << 8 | next();
            }
            return v;
        }

        long integer() throws RpcException {
            long u = uint();
            return (u & 1) == 0 ? u >>> 1 : ~(u >>> 1);
        }

        String string() throws RpcException {
            long n = uint();
            if (n < 0 || pos + n > data.length) {
                throw new RpcException("gob: string length out of range");
            }
            String s = new String(data, pos, (int) n, StandardCharsets.UTF_8);
            pos += (int) n;
            return s;
        }
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
