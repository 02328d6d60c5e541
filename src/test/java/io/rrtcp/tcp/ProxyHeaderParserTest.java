package io.rrtcp.tcp;

import io.rrtcp.config.ProxyProtocolConfig.Mode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static io.rrtcp.tcp.ProxyHeaders.ascii;
import static io.rrtcp.tcp.ProxyHeaders.concat;
import static io.rrtcp.tcp.ProxyHeaders.ipv4Block;
import static io.rrtcp.tcp.ProxyHeaders.tlv;
import static io.rrtcp.tcp.ProxyHeaders.unixPath;
import static io.rrtcp.tcp.ProxyHeaders.v2;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The PROXY header parser without sockets: both versions, every split point, every way a header can be wrong. */
class ProxyHeaderParserTest {
    private static final byte[] APP_DATA = "EHLO client\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Hands out {@code data} split at {@code at}: the first read stops there, like two TCP segments would. */
    private static final class SplitInput extends InputStream {
        private final byte[] data;
        private final int at;
        private int pos;

        SplitInput(byte[] data, int at) {
            this.data = data;
            this.at = at;
        }

        @Override
        public int read() {
            return pos < data.length ? data[pos++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos == data.length) {
                return -1;
            }
            int end = pos < at ? at : data.length;
            int n = Math.min(len, end - pos);
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }

        byte[] rest() {
            return Arrays.copyOfRange(data, pos, data.length);
        }
    }

    /**
     * Parses {@code header} followed by application data, split at every position; the result must be the same each
     * time and the application data must be left unread.
     */
    private static ProxyHeader parseAtEverySplit(byte[] header, Mode mode) throws IOException {
        byte[] stream = concat(header, APP_DATA);
        ProxyHeader first = null;
        for (int at = 0; at <= stream.length; at++) {
            SplitInput in = new SplitInput(stream, at);
            ProxyHeader got = ProxyHeaderParser.read(in, mode);
            assertArrayEquals(APP_DATA, in.rest(), "bytes after the header must stay unread (split at " + at + ")");
            if (first == null) {
                first = got;
            }
            assertEquals(first, got, "split at " + at);
        }
        return first;
    }

    private static ProxyHeaderException reject(byte[] stream, Mode mode) {
        return assertThrows(ProxyHeaderException.class, () -> ProxyHeaderParser.read(new ByteArrayInputStream(stream), mode));
    }

    private static void assertRejected(String expectedPart, byte[] stream, Mode mode) {
        ProxyHeaderException e = reject(stream, mode);
        assertTrue(e.getMessage().contains(expectedPart), "\"" + e.getMessage() + "\" should say " + expectedPart);
        assertFalse(e.silentProbe());
    }

    private static final byte[] V4_BLOCK = ipv4Block(new int[]{10, 1, 2, 3}, 51000, new int[]{192, 168, 0, 11}, 7777);

    // ---------------------------------------------------------------- v1

    @Test
    void v1Tcp4GivesClientAndDestinationAtEverySplitPoint() throws IOException {
        ProxyHeader h = parseAtEverySplit(ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"), Mode.V1);
        assertEquals(ProxyHeader.proxied(1, "192.168.0.1:56324", "192.168.0.11:443"), h);
    }

    @Test
    void v1Tcp6IsShownInTheShortBracketedForm() throws IOException {
        ProxyHeader h = parseAtEverySplit(ascii("PROXY TCP6 2001:0DB8:0000:0000:0000:0000:0000:0001 ::1 1 65535\r\n"),
                Mode.V1);
        assertEquals(ProxyHeader.proxied(1, "[2001:db8::1]:1", "[::1]:65535"), h);
    }

    @Test
    void v1UnknownIsAcceptedWithoutAddressesInShortAndLongForm() throws IOException {
        assertEquals(new ProxyHeader(1, ProxyHeader.Kind.UNKNOWN, null, null),
                parseAtEverySplit(ascii("PROXY UNKNOWN\r\n"), Mode.V1));
        assertEquals(ProxyHeader.Kind.UNKNOWN,
                parseAtEverySplit(ascii("PROXY UNKNOWN whatever the sender put here\r\n"), Mode.V1).kind());
    }

    @Test
    void v1WorstCaseOf107BytesIsAcceptedAndOneMoreIsNot() throws IOException {
        String ff = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        byte[] longest = ascii("PROXY UNKNOWN " + ff + " " + ff + " 65535 65535\r\n");
        assertEquals(107, longest.length);
        assertEquals(ProxyHeader.Kind.UNKNOWN, parseAtEverySplit(longest, Mode.V1).kind());
        assertRejected("no CRLF within the first 107 bytes",
                ascii("PROXY UNKNOWN " + ff + " " + ff + " 65535 655355\r\n"), Mode.V1);
    }

    @Test
    void v1NeverReadsMoreThan107BytesOfAnEndlessLine() {
        byte[] endless = new byte[10_000];
        Arrays.fill(endless, (byte) 'A');
        System.arraycopy(ascii("PROXY TCP4 "), 0, endless, 0, 11);
        SplitInput in = new SplitInput(endless, 1);
        assertThrows(ProxyHeaderException.class, () -> ProxyHeaderParser.read(in, Mode.V1));
        assertEquals(endless.length - 107, in.rest().length);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 2\n|must end with CRLF, got a LF alone",
            "PROXY TCP4 1.2.3.4 5.6\r.7.8 1 2\r\n|stray CR",
            "PROXY  TCP4 1.2.3.4 5.6.7.8 1 2\r\n|unknown protocol \"\"",
            "PROXY TCP5 1.2.3.4 5.6.7.8 1 2\r\n|unknown protocol \"TCP5\"",
            "PROXY tcp4 1.2.3.4 5.6.7.8 1 2\r\n|unknown protocol \"tcp4\"",
            "PROXY TCP4 1.2.3.4  5.6.7.8 1 2\r\n|separated by single spaces",
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 \r\n|separated by single spaces",
            "PROXY TCP4 1.2.3.4 5.6.7.8 1\r\n|separated by single spaces",
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 2 3\r\n|separated by single spaces",
            "PROXY TCP4 01.2.3.4 5.6.7.8 1 2\r\n|not an IPv4 address",
            "PROXY TCP4 256.2.3.4 5.6.7.8 1 2\r\n|256 > 255",
            "PROXY TCP4 1.2.3 5.6.7.8 1 2\r\n|not an IPv4 address",
            "PROXY TCP4 host.example 5.6.7.8 1 2\r\n|not an IPv4 address",
            "PROXY TCP4 ::1 5.6.7.8 1 2\r\n|not an IPv4 address",
            "PROXY TCP6 1.2.3.4 ::1 1 2\r\n|not an IPv6 address",
            "PROXY TCP6 fe80::1%eth0 ::1 1 2\r\n|not an IPv6 address",
            "PROXY TCP6 1:2:3:4:5:6:7:8:9 ::1 1 2\r\n|not an IPv6 address",
            "PROXY TCP6 ::g ::1 1 2\r\n|not an IPv6 address",
            "PROXY TCP4 1.2.3.4 5.6.7.8 65536 2\r\n|not a port",
            "PROXY TCP4 1.2.3.4 5.6.7.8 01 2\r\n|not a port",
            "PROXY TCP4 1.2.3.4 5.6.7.8 -1 2\r\n|not a port",
            "PROXY TCP4 1.2.3.4 5.6.7.8 1 x\r\n|not a port",
            "PROXI TCP4 1.2.3.4 5.6.7.8 1 2\r\n|not a PROXY v1 header: it starts with \"PROXI",
            "PROXY TCP4\r\nEHLO|shorter than any valid one",
            "PROXY UNKNOWN\n\r\n|shorter than any valid one",
            "GET / HTTP/1.1\r\n\r\n|the connection starts with byte 0x47",
    })
    void malformedV1HeadersAreRejectedSayingWhy(String row) {
        String[] parts = row.split("\\|");
        assertRejected(parts[1], ascii(parts[0] + "EHLO client\r\n"), Mode.V1);
    }

    @Test
    void v1MessagesEscapeBytesThatAreNotPrintable() {
        ProxyHeaderException e = reject(ascii("PROXY TCP\u00e94 1.2.3.4 5.6.7.8 1 2\r\n"), Mode.V1);
        assertTrue(e.getMessage().contains("TCP\\xe94"), e.getMessage());
    }

    // ---------------------------------------------------------------- v2

    @Test
    void v2TcpOverIpv4GivesClientAndDestinationAtEverySplitPoint() throws IOException {
        ProxyHeader h = parseAtEverySplit(v2(1, 0x11, V4_BLOCK), Mode.V2);
        assertEquals(ProxyHeader.proxied(2, "10.1.2.3:51000", "192.168.0.11:7777"), h);
    }

    @Test
    void v2TcpOverIpv6() throws IOException {
        byte[] source = new byte[16];
        source[0] = 0x20;
        source[1] = 0x01;
        source[2] = 0x0d;
        source[3] = (byte) 0xb8;
        source[15] = 7;
        byte[] destination = new byte[16];
        destination[15] = 1;
        byte[] block = ByteBuffer.allocate(36).put(source).put(destination).putShort((short) 65535)
                .putShort((short) 443).array();
        assertEquals(ProxyHeader.proxied(2, "[2001:db8::7]:65535", "[::1]:443"),
                parseAtEverySplit(v2(1, 0x21, block), Mode.V2));
    }

    @Test
    void v2UdpAddressesAreTakenLikeTcpOnes() throws IOException {
        assertEquals("10.1.2.3:51000", parseAtEverySplit(v2(1, 0x12, V4_BLOCK), Mode.V2).source());
    }

    @Test
    void v2UnixSocketsShowTheirPathOrAnAtSignForUnnamedAndAbstractOnes() throws IOException {
        assertEquals(ProxyHeader.proxied(2, "/run/client.sock", "/run/haproxy.sock"),
                parseAtEverySplit(v2(1, 0x31, unixPath("/run/client.sock"), unixPath("/run/haproxy.sock")), Mode.V2));
        assertEquals(ProxyHeader.proxied(2, "@", "@gateway"),
                parseAtEverySplit(v2(1, 0x31, new byte[108], unixPath("\0gateway")), Mode.V2));
    }

    @Test
    void v2LocalIsAHealthCheckAndItsAddressBlockIsSkipped() throws IOException {
        assertEquals(new ProxyHeader(2, ProxyHeader.Kind.LOCAL, null, null), parseAtEverySplit(v2(0, 0x00), Mode.V2));
        // the length field counts even for LOCAL: whatever it covers is not application data
        assertEquals(ProxyHeader.Kind.LOCAL, parseAtEverySplit(v2(0, 0x11, V4_BLOCK, tlv(0x04, new byte[5])), Mode.V2).kind());
    }

    @Test
    void v2ProxyWithAnUnspecifiedFamilyOrProtocolCarriesNoAddress() throws IOException {
        assertEquals(ProxyHeader.Kind.UNKNOWN, parseAtEverySplit(v2(1, 0x00), Mode.V2).kind());
        assertEquals(ProxyHeader.Kind.UNKNOWN, parseAtEverySplit(v2(1, 0x10, V4_BLOCK), Mode.V2).kind());
        assertNull(parseAtEverySplit(v2(1, 0x01, V4_BLOCK), Mode.V2).source());
    }

    @Test
    void v2TlvsAreSkipped() throws IOException {
        byte[] ssl = concat(new byte[]{0x01, 0, 0, 0, 0}, tlv(0x21, ascii("TLSv1.3")), tlv(0x22, ascii("client.example")));
        byte[] header = v2(1, 0x11, V4_BLOCK, tlv(0x01, ascii("h2")), tlv(0x02, ascii("example.com")), tlv(0x20, ssl),
                tlv(0x04, new byte[0]), tlv(0x05, new byte[128]), tlv(0xE0, ascii("custom")), tlv(0x30, ascii("ns1")));
        assertEquals("10.1.2.3:51000", parseAtEverySplit(header, Mode.V2).source());
    }

    @Test
    void v2LongestHeaderIsReadExactlyToItsDeclaredEnd() throws IOException {
        byte[] header = v2(1, 0x11, V4_BLOCK, tlv(0x04, new byte[65535 - 12 - 3]));
        assertEquals(16 + 65535, header.length);
        SplitInput in = new SplitInput(concat(header, APP_DATA), 1000);
        assertEquals("10.1.2.3:51000", ProxyHeaderParser.read(in, Mode.V2).source());
        assertArrayEquals(APP_DATA, in.rest());
    }

    @Test
    void v2Crc32cIsCheckedWhenPresent() throws IOException {
        byte[] header = v2(1, 0x11, V4_BLOCK, tlv(0x03, new byte[4]), tlv(0x02, ascii("example.com")));
        CRC32C crc = new CRC32C();
        crc.update(header);
        int valueAt = 16 + 12 + 3;
        ByteBuffer.wrap(header).putInt(valueAt, (int) crc.getValue());
        assertEquals("10.1.2.3:51000", parseAtEverySplit(header, Mode.V2).source());

        header[valueAt + 3] ^= 1;
        assertRejected("fails its CRC32C check", concat(header, APP_DATA), Mode.V2);
        assertRejected("CRC32C TLV of 3 bytes",
                concat(v2(1, 0x11, V4_BLOCK, tlv(0x03, new byte[3])), APP_DATA), Mode.V2);
    }

    @Test
    void v2TlvsThatOverrunTheHeaderAreRejected() {
        byte[] overrun = concat(V4_BLOCK, new byte[]{0x02, 0, 10}, ascii("short"));
        assertRejected("TLV at byte 28 that overruns", concat(v2(1, 0x11, overrun), APP_DATA), Mode.V2);
        assertRejected("overruns", concat(v2(1, 0x11, V4_BLOCK, new byte[]{0x04, 0}), APP_DATA), Mode.V2);
    }

    @Test
    void malformedV2HeadersAreRejectedSayingWhy() {
        byte[] badSignature = v2(1, 0x11, V4_BLOCK);
        badSignature[7] = 'X';
        assertRejected("signature does not match", badSignature, Mode.V2);
        byte[] version1 = v2(1, 0x11, V4_BLOCK);
        version1[12] = 0x11;
        assertRejected("version 1 in its 13th byte", version1, Mode.V2);
        assertRejected("command 2", v2(2, 0x11, V4_BLOCK), Mode.V2);
        assertRejected("family/protocol byte 0x41", v2(1, 0x41, V4_BLOCK), Mode.V2);
        assertRejected("family/protocol byte 0x13", v2(1, 0x13, V4_BLOCK), Mode.V2);
        assertRejected("declares 8 address bytes; IPv4 needs 12", v2(1, 0x11, new byte[8]), Mode.V2);
        assertRejected("declares 12 address bytes; IPv6 needs 36", v2(1, 0x21, V4_BLOCK), Mode.V2);
        assertRejected("declares 200 address bytes; unix needs 216", v2(1, 0x31, new byte[200]), Mode.V2);
    }

    // ---------------------------------------------------------------- both

    @Test
    void aHeaderCutShortAtAnyPointIsRejectedAndAnEmptyConnectionIsAProbe() {
        for (byte[] header : new byte[][]{ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n"),
                v2(1, 0x11, V4_BLOCK, tlv(0x02, ascii("example.com")))}) {
            for (int cut = 0; cut < header.length; cut++) {
                ProxyHeaderException e = reject(Arrays.copyOf(header, cut), Mode.ANY);
                assertEquals(cut == 0, e.silentProbe(), e.getMessage());
                assertTrue(e.getMessage().contains(cut == 0 ? "closed before sending a PROXY header"
                        : "closed after " + cut + " bytes"), e.getMessage());
            }
        }
    }

    @Test
    void eachModeTakesOnlyItsVersionAndAnyTakesBoth() throws IOException {
        byte[] one = ascii("PROXY TCP4 192.168.0.1 192.168.0.11 56324 443\r\n");
        byte[] two = v2(1, 0x11, V4_BLOCK);
        assertEquals(1, parseAtEverySplit(one, Mode.ANY).version());
        assertEquals(2, parseAtEverySplit(two, Mode.ANY).version());
        assertRejected("expected a PROXY v2 header (proxy_protocol: v2), the connection starts with what looks like a v1",
                one, Mode.V2);
        assertRejected("expected a PROXY v1 header (proxy_protocol: v1), the connection starts with what looks like a v2",
                two, Mode.V1);
        assertRejected("expected a PROXY v1 or v2 header (proxy_protocol: any), the connection starts with byte 0x16",
                new byte[]{0x16, 0x03, 0x01}, Mode.ANY);
    }
}
