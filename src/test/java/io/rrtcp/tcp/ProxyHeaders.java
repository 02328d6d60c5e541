package io.rrtcp.tcp;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds PROXY protocol headers byte by byte for tests (the parser's tests and the servers' ones). */
public final class ProxyHeaders {
    private ProxyHeaders() {
    }

    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A v2 header: command (0 LOCAL, 1 PROXY), family/protocol byte (0x11 TCP over IPv4, ...), then the block. */
    public static byte[] v2(int command, int familyProtocol, byte[]... block) {
        byte[] body = concat(block);
        ByteBuffer b = ByteBuffer.allocate(16 + body.length);
        b.put(ProxyHeaderParser.V2_SIGNATURE).put((byte) (0x20 | command)).put((byte) familyProtocol)
                .putShort((short) body.length).put(body);
        return b.array();
    }

    /** The 12-byte IPv4 address block: source address, destination address, source port, destination port. */
    public static byte[] ipv4Block(int[] source, int sourcePort, int[] destination, int destinationPort) {
        ByteBuffer b = ByteBuffer.allocate(12);
        for (int octet : source) {
            b.put((byte) octet);
        }
        for (int octet : destination) {
            b.put((byte) octet);
        }
        return b.putShort((short) sourcePort).putShort((short) destinationPort).array();
    }

    public static byte[] tlv(int type, byte[] value) {
        return ByteBuffer.allocate(3 + value.length).put((byte) type).putShort((short) value.length).put(value).array();
    }

    /** One 108-byte AF_UNIX address: the path, NUL-padded. */
    public static byte[] unixPath(String path) {
        return Arrays.copyOf(path.getBytes(StandardCharsets.UTF_8), 108);
    }
}
