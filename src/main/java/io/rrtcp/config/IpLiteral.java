package io.rrtcp.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Strict IP address literals, never resolved through DNS: IPv4 as four decimal numbers 0-255 without leading zeros
 * (the PROXY protocol forbids them, as octal look-alikes), IPv6 in any RFC 4291 text form without a zone.
 */
public final class IpLiteral {
    private static final Pattern V4 = Pattern.compile("(0|[1-9][0-9]{0,2})(\\.(0|[1-9][0-9]{0,2})){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiteral() {
    }

    /** An IPv4 literal such as {@code 10.0.0.1}. */
    public static InetAddress v4(String text) {
        if (!V4.matcher(text).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address (four numbers 0-255, no leading zeros)");
        }
        String[] parts = text.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int n = Integer.parseInt(parts[i]);
            if (n > 255) {
                throw new IllegalArgumentException("\"" + text + "\" is not an IPv4 address (" + n + " > 255)");
            }
            bytes[i] = (byte) n;
        }
        return byAddress(bytes);
    }

    /** An IPv6 literal such as {@code 2001:db8::1} (an IPv4-mapped one comes back as the IPv4 address). */
    public static InetAddress v6(String text) {
        if (!V6.matcher(text).matches() || text.indexOf(':') < 0) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv6 address");
        }
        try {
            // with a ':' and only hex digits, colons and dots, the JDK parses the literal and never asks DNS
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not an IPv6 address");
        }
    }

    /** Either family, told apart by the colon. */
    public static InetAddress parse(String text) {
        return text.indexOf(':') >= 0 ? v6(text) : v4(text);
    }

    /** The address of 4 or 16 bytes (no lookup). */
    public static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("an IP address has 4 or 16 bytes, got " + bytes.length, e);
        }
    }
}
