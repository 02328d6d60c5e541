package io.rrtcp.tcp;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Formats a peer address as Go does: {@code 1.2.3.4:5}, {@code [::1]:5} (RFC 5952 short form, zone kept). */
public final class RemoteAddress {
    private RemoteAddress() {
    }

    public static String format(SocketAddress address) {
        if (!(address instanceof InetSocketAddress inet) || inet.getAddress() == null) {
            return String.valueOf(address);
        }
        InetAddress ip = inet.getAddress();
        if (ip instanceof Inet6Address v6) {
            String zone = v6.getScopedInterface() != null ? "%" + v6.getScopedInterface().getName()
                    : v6.getScopeId() != 0 ? "%" + v6.getScopeId() : "";
            return "[" + compress(v6.getAddress()) + zone + "]:" + inet.getPort();
        }
        return ip.getHostAddress() + ":" + inet.getPort();
    }

    /** RFC 5952: lower-case hex, no leading zeros, the longest run (2+ groups, first wins) of zeros as "::". */
    static String compress(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (address[2 * i] & 0xFF) << 8 | (address[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
