package io.rrtcp.tcp;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EventContextTest {
    private static final String UUID = "f47ac10b-58cc-4372-a567-0e02b2c3d479";

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @Test
    void contextsMatchTheSpecVectorsFieldForField() {
        EventContext c = new EventContext("127.0.0.1:54321", "server1", UUID);
        String base = "{\"remote_addr\":\"127.0.0.1:54321\",\"server\":\"server1\",\"uuid\":\"" + UUID + "\",\"event\":\"";
        assertEquals(base + "CONNECTED\"}", text(c.of(TcpEvent.CONNECTED)));
        assertEquals(base + "DATA\"}", text(c.of(TcpEvent.DATA)));
        assertEquals(base + "CLOSE\"}", text(c.of(TcpEvent.CLOSE)));
        assertEquals(118, c.of(TcpEvent.CONNECTED).length); // vector w03's context length
    }

    @Test
    void tlsFactsGoBeforeTheEventWhichStaysLast() {
        EventContext c = new EventContext("127.0.0.1:54321", "server1", UUID);
        c.tls(java.util.Optional.of(new TlsFacts("TLSv1.3", "TLS_AES_128_GCM_SHA256", java.util.Optional.of("CN=a,O=\"b\""))));
        String tls = ",\"tls\":{\"version\":\"TLSv1.3\",\"cipher\":\"TLS_AES_128_GCM_SHA256\",\"client_subject\":\"CN=a,O=\\\"b\\\"\"}";
        String base = "{\"remote_addr\":\"127.0.0.1:54321\",\"server\":\"server1\",\"uuid\":\"" + UUID + "\"" + tls + ",\"event\":\"";
        assertEquals(base + "DATA\"}", text(c.of(TcpEvent.DATA)));
        assertEquals(base + "CLOSE\"}", text(c.of(TcpEvent.CLOSE)));
        c.tls(java.util.Optional.empty());
        assertEquals(base + "CONNECTED\"}", text(c.of(TcpEvent.CONNECTED)), "no facts: unchanged");
    }

    @Test
    void ipv6AddressesKeepTheirBrackets() {
        EventContext c = new EventContext("[::1]:54321", "server1", UUID);
        assertEquals("{\"remote_addr\":\"[::1]:54321\",\"server\":\"server1\",\"uuid\":\"" + UUID
                + "\",\"event\":\"CONNECTED\"}", text(c.of(TcpEvent.CONNECTED)));
    }

    @Test
    void behindABalancerProxyAddrComesBeforeTheEventAndTheOtherFieldsStayAsTheyAre() {
        EventContext c = new EventContext("203.0.113.7:40001", "server1", UUID, "10.0.0.2:51000");
        String base = "{\"remote_addr\":\"203.0.113.7:40001\",\"server\":\"server1\",\"uuid\":\"" + UUID
                + "\",\"proxy_addr\":\"10.0.0.2:51000\",\"event\":\"";
        assertEquals(base + "CONNECTED\"}", text(c.of(TcpEvent.CONNECTED)));
        assertEquals(base + "DATA\"}", text(c.of(TcpEvent.DATA)));
        assertEquals(base + "CLOSE\"}", text(c.of(TcpEvent.CLOSE)));
    }
}
