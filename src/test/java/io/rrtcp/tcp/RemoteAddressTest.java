package io.rrtcp.tcp;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RemoteAddressTest {
    private static String format(String ip, int port) throws UnknownHostException {
        return RemoteAddress.format(new InetSocketAddress(InetAddress.getByName(ip), port));
    }

    @Test
    void formatsAddressesAsGoDoes() throws UnknownHostException {
        assertEquals("127.0.0.1:54321", format("127.0.0.1", 54321));
        assertEquals("[::1]:54321", format("::1", 54321));
        assertEquals("[::]:1", format("::", 1));
        assertEquals("[2001:db8::1]:80", format("2001:db8:0:0:0:0:0:1", 80));
        assertEquals("[2001:db8:0:1:1:1:1:1]:80", format("2001:db8:0:1:1:1:1:1", 80));
        assertEquals("[2001:db8::1:0:0:1]:80", format("2001:db8:0:0:1:0:0:1", 80));
        assertEquals("[fe80::abcd]:9", format("fe80:0:0:0:0:0:0:abcd", 9));
        assertEquals("10.0.0.1:7", format("::ffff:10.0.0.1", 7)); // IPv4-mapped peers print as IPv4
    }
}
