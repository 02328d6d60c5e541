package io.rrtcp.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ListenAddressTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "127.0.0.1:7777        | 127.0.0.1 | 7777",
            "tcp://127.0.0.1:7777  | 127.0.0.1 | 7777",
            "[::1]:7777            | ::1       | 7777",
            "tcp://[::]:0          | ::        | 0",
            ":7777                 | ''        | 7777",
            "tcp://:6001           | ''        | 6001",
            "localhost:65535       | localhost | 65535",
            "[fe80::1%eth0]:80     | fe80::1%eth0 | 80",
    })
    void acceptedForms(String text, String host, int port) {
        assertEquals(new ListenAddress(host, port), ListenAddress.parse(text));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unix://rr.sock        | unix sockets are not supported for tcp servers yet; use host:port (got unix://rr.sock)",
            "http://a:80           | invalid Protocol ([tcp://]:6001, unix://file.sock), address: http://a:80",
            "tcp://a://b:1         | wrong number of parsed protocol parts, address: tcp://a://b:1",
            "127.0.0.1             | address 127.0.0.1: missing port in address",
            "tcp://127.0.0.1       | address 127.0.0.1: missing port in address",
            "[::1]                 | address [::1]: missing port in address",
            "[::1]x80              | address [::1]x80: missing port in address",
            "[::1]:80:81           | address [::1]:80:81: too many colons in address",
            "[::1:80               | address [::1:80: missing ']' in address",
            "::1:80                | address ::1:80: too many colons in address; write IPv6 addresses in brackets, e.g. [::1]:80",
            "a]:80                 | address a]:80: unexpected ']' in address",
            "a[:80                 | address a[:80: unexpected '[' in address",
            "127.0.0.1:65536       | \"127.0.0.1:65536\": port must be a number from 0 to 65535",
            "127.0.0.1:http        | \"127.0.0.1:http\": port must be a number from 0 to 65535",
            "127.0.0.1:-1          | \"127.0.0.1:-1\": port must be a number from 0 to 65535",
            "127.0.0.1:            | \"127.0.0.1:\": port must be a number from 0 to 65535",
            "tcp://h:9999999999    | \"tcp://h:9999999999\": port must be a number from 0 to 65535",
    })
    void rejectedFormsUseUpstreamWording(String text, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> ListenAddress.parse(text)).getMessage());
    }

    @Test
    void emptyHostBindsEveryAddress() {
        InetSocketAddress socket = ListenAddress.parse(":7777").toSocketAddress();
        assertTrue(socket.getAddress().isAnyLocalAddress());
        assertEquals(7777, socket.getPort());
    }

    @Test
    void printsIpv6InBrackets() {
        assertEquals("[::1]:7777", ListenAddress.parse("tcp://[::1]:7777").toString());
        assertEquals("127.0.0.1:80", ListenAddress.parse("127.0.0.1:80").toString());
    }
}
