package io.rrtcp.tcp;

import io.rrtcp.config.IpLiteral;
import io.rrtcp.config.ProxyProtocolConfig.Mode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one PROXY protocol header (haproxy's {@code doc/proxy-protocol.txt}, v1 text or v2 binary) from the start of a
 * stream, and not one byte past it: what follows belongs to the application or to a TLS handshake. Pure (no socket,
 * no clock), so it is tested at every split point; the caller bounds the time. Reads at most 107 bytes for v1 and
 * 16 + the declared length (at most 65 551) for v2.
 */
final class ProxyHeaderParser {
    static final int V1_MAX_LENGTH = 107;
    /** "PROXY UNKNOWN\r\n", the shortest v1 header; a v2 header is longer, so these are always safe to read. */
    static final int V1_MIN_LENGTH = 15;
    static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final int V2_FIXED_LENGTH = 16;
    private static final int UNIX_PATH_LENGTH = 108;
    private static final int TLV_CRC32C = 0x03;

    private final InputStream in;
    private int bytesRead;

    private ProxyHeaderParser(InputStream in) {
        this.in = in;
    }

    /**
     * The header at the start of {@code in}, of a version {@code mode} allows.
     *
     * @throws ProxyHeaderException when it is missing, malformed, of another version, or the stream ends inside it
     * @throws IOException          when reading fails (e.g. the caller's read timeout)
     */
    static ProxyHeader read(InputStream in, Mode mode) throws IOException {
        return new ProxyHeaderParser(in).parse(mode);
    }

    private ProxyHeader parse(Mode mode) throws IOException {
        int first = next();
        if (first == 'P' && mode.accepts(1)) {
            return v1();
        }
        if (first == V2_SIGNATURE[0] && mode.accepts(2)) {
            return v2();
        }
        String seen = first == 'P' ? "what looks like a v1 header" : first == V2_SIGNATURE[0]
                ? "what looks like a v2 header" : "byte 0x" + String.format("%02x", first);
        throw bad("expected a PROXY " + (mode == Mode.ANY ? "v1 or v2" : mode.key()) + " header (proxy_protocol: "
                + mode.key() + "), the connection starts with " + seen);
    }

    private ProxyHeader v1() throws IOException {
        byte[] line = new byte[V1_MAX_LENGTH];
        line[0] = 'P';
        int n = fill(line, 1, V1_MIN_LENGTH - 1);
        if (!new String(line, 0, 6, StandardCharsets.US_ASCII).equals("PROXY ")) {
            throw bad("not a PROXY v1 header: it starts with \"" + shown(line, 0, n) + "\"");
        }
        int lf = indexOf(line, '\n', 0, n);
        // then byte by byte: a v1 header has no length field, and nothing after its CRLF may be consumed
        while (lf < 0) {
            if (n == V1_MAX_LENGTH) {
                throw bad("no CRLF within the first " + V1_MAX_LENGTH + " bytes of a PROXY v1 header");
            }
            line[n] = (byte) next();
            lf = line[n] == '\n' ? n : -1;
            n++;
        }
        if (lf != n - 1) {
            throw bad("a PROXY v1 header of " + (lf + 1) + " bytes is shorter than any valid one: \""
                    + shown(line, 0, lf + 1) + "\"");
        }
        if (line[lf - 1] != '\r') {
            throw bad("a PROXY v1 header must end with CRLF, got a LF alone: \"" + shown(line, 0, lf + 1) + "\"");
        }
        String text = new String(line, 0, n - 2, StandardCharsets.ISO_8859_1); // byte for byte, so messages show it
        if (text.indexOf('\r') >= 0) {
            throw bad("a stray CR inside the PROXY v1 header \"" + shown(line, 0, n) + "\"");
        }
        return v1Fields(text);
    }

    private ProxyHeader v1Fields(String text) throws ProxyHeaderException {
        String[] f = text.split(" ", -1);
        String protocol = f.length > 1 ? f[1] : "";
        if (protocol.equals("UNKNOWN")) {
            return new ProxyHeader(1, ProxyHeader.Kind.UNKNOWN, null, null); // the rest of the line is to be ignored
        }
        if (!protocol.equals("TCP4") && !protocol.equals("TCP6")) {
            throw bad("unknown protocol \"" + shown(protocol) + "\" in a PROXY v1 header (TCP4, TCP6 or UNKNOWN)");
        }
        if (f.length != 6) {
            throw bad("a PROXY v1 " + protocol + " header has source, destination, source port and destination port "
                    + "separated by single spaces, got \"" + shown(text) + "\"");
        }
        try {
            boolean v4 = protocol.equals("TCP4");
            InetAddress source = v4 ? IpLiteral.v4(f[2]) : IpLiteral.v6(f[2]);
            InetAddress destination = v4 ? IpLiteral.v4(f[3]) : IpLiteral.v6(f[3]);
            return ProxyHeader.proxied(1, address(source, port(f[4])), address(destination, port(f[5])));
        } catch (IllegalArgumentException e) {
            throw bad("bad " + protocol + " PROXY v1 header \"" + shown(text) + "\": " + e.getMessage());
        }
    }

    private static int port(String text) {
        if (!text.matches("0|[1-9][0-9]{0,4}") || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("\"" + text + "\" is not a port (0-65535, no leading zeros)");
        }
        return Integer.parseInt(text);
    }

    private ProxyHeader v2() throws IOException {
        byte[] head = new byte[V2_FIXED_LENGTH];
        head[0] = V2_SIGNATURE[0];
        fill(head, 1, V2_FIXED_LENGTH - 1);
        if (!Arrays.equals(head, 0, V2_SIGNATURE.length, V2_SIGNATURE, 0, V2_SIGNATURE.length)) {
            throw bad("not a PROXY v2 header: the 12-byte signature does not match");
        }
        int version = (head[12] >> 4) & 0xF;
        int command = head[12] & 0xF;
        int family = (head[13] >> 4) & 0xF;
        int protocol = head[13] & 0xF;
        if (version != 2) {
            throw bad("PROXY v2 header with version " + version + " in its 13th byte (must be 2)");
        }
        if (command > 1) {
            throw bad("PROXY v2 header with command " + command + " (0 LOCAL or 1 PROXY)");
        }
        if (family > 3 || protocol > 2) {
            throw bad(String.format("PROXY v2 header with address family/protocol byte 0x%02x (family 0-3, protocol 0-2)",
                    head[13] & 0xFF));
        }
        int length = (head[14] & 0xFF) << 8 | (head[15] & 0xFF);
        byte[] block = new byte[length];
        fill(block, 0, length);
        if (command == 0) {
            return new ProxyHeader(2, ProxyHeader.Kind.LOCAL, null, null); // addresses and TLVs are to be ignored
        }
        if (family == 0 || protocol == 0) {
            return new ProxyHeader(2, ProxyHeader.Kind.UNKNOWN, null, null);
        }
        int addressLength = switch (family) {
            case 1 -> 12;
            case 2 -> 36;
            default -> 2 * UNIX_PATH_LENGTH;
        };
        if (length < addressLength) {
            throw bad("PROXY v2 header declares " + length + " address bytes; "
                    + new String[]{"", "IPv4", "IPv6", "unix"}[family] + " needs " + addressLength);
        }
        checkTlvs(head, block, addressLength);
        return switch (family) {
            case 1, 2 -> {
                int size = family == 1 ? 4 : 16;
                InetAddress source = IpLiteral.byAddress(Arrays.copyOfRange(block, 0, size));
                InetAddress destination = IpLiteral.byAddress(Arrays.copyOfRange(block, size, 2 * size));
                yield ProxyHeader.proxied(2, address(source, u16(block, 2 * size)),
                        address(destination, u16(block, 2 * size + 2)));
            }
            default -> ProxyHeader.proxied(2, unixPath(block, 0), unixPath(block, UNIX_PATH_LENGTH));
        };
    }

    /** TLVs are skipped, but they must tile the rest of the header exactly; a CRC32C one must match. */
    private void checkTlvs(byte[] head, byte[] block, int from) throws ProxyHeaderException {
        int at = from;
        while (at < block.length) {
            if (block.length - at < 3 || block.length - at - 3 < u16(block, at + 1)) {
                throw bad("PROXY v2 header has a TLV at byte " + (V2_FIXED_LENGTH + at) + " that overruns its length");
            }
            int type = block[at] & 0xFF;
            int length = u16(block, at + 1);
            if (type == TLV_CRC32C) {
                checkCrc(head, block, at + 3, length);
            }
            at += 3 + length;
        }
    }

    private void checkCrc(byte[] head, byte[] block, int valueAt, int length) throws ProxyHeaderException {
        if (length != 4) {
            throw bad("PROXY v2 header has a CRC32C TLV of " + length + " bytes (must be 4)");
        }
        long expected = (long) u16(block, valueAt) << 16 | u16(block, valueAt + 2);
        byte[] zeroed = block.clone();
        Arrays.fill(zeroed, valueAt, valueAt + 4, (byte) 0);
        CRC32C crc = new CRC32C();
        crc.update(head);
        crc.update(zeroed);
        if (crc.getValue() != expected) {
            throw bad(String.format("PROXY v2 header fails its CRC32C check (says %08x, is %08x)", expected,
                    crc.getValue()));
        }
    }

    private static String unixPath(byte[] block, int at) {
        int end = at + UNIX_PATH_LENGTH;
        if (block[at] == 0) {
            // Linux abstract namespace: a leading NUL, the name in the rest (shown with '@' as Go shows it)
            int last = end;
            while (last > at + 1 && block[last - 1] == 0) {
                last--;
            }
            return "@" + new String(block, at + 1, last - at - 1, StandardCharsets.UTF_8);
        }
        int nul = indexOf(block, 0, at, end);
        return new String(block, at, (nul < 0 ? end : nul) - at, StandardCharsets.UTF_8);
    }

    private static String address(InetAddress ip, int port) {
        return RemoteAddress.format(new InetSocketAddress(ip, port));
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw ended();
        }
        bytesRead++;
        return b;
    }

    /** Reads exactly {@code length} bytes into {@code into} at {@code offset}; returns the offset after them. */
    private int fill(byte[] into, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) {
                throw ended();
            }
            done += n;
            bytesRead += n;
        }
        return offset + length;
    }

    private ProxyHeaderException ended() {
        return new ProxyHeaderException(bytesRead == 0 ? "the connection closed before sending a PROXY header"
                : "the connection closed after " + bytesRead + " bytes of a PROXY header", bytesRead, true);
    }

    private ProxyHeaderException bad(String message) {
        return new ProxyHeaderException(message, bytesRead, false);
    }

    private static int indexOf(byte[] b, int value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }

    private static String shown(byte[] b, int from, int to) {
        return shown(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
    }

    /** Printable ASCII as is, anything else escaped, so a log line stays one line. */
    private static String shown(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\r' -> out.append("\\r");
                case '\n' -> out.append("\\n");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7F) {
                        out.append(c);
                    } else {
                        out.append(String.format("\\x%02x", (int) c));
                    }
                }
            }
        }
        return out.toString();
    }
}
