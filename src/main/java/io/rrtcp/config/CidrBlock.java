package io.rrtcp.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * A block of addresses such as {@code 10.0.0.0/8} or {@code fd00::/8}: an entry of {@code trusted_proxies}.
 *
 * @param network      the block's first address bytes (4 or 16), host bits zero
 * @param prefixLength how many leading bits an address must share with {@code network}
 */
public record CidrBlock(byte[] network, int prefixLength) {
    public CidrBlock {
        network = network.clone();
        if ((network.length != 4 && network.length != 16) || prefixLength < 0 || prefixLength > network.length * 8) {
            throw new IllegalArgumentException("bad CIDR block");
        }
        for (int bit = prefixLength; bit < network.length * 8; bit++) {
            network[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
    }

    /** {@code 10.0.0.0/8}, {@code ::1/128}, or a single address ({@code 127.0.0.1} = {@code 127.0.0.1/32}). */
    public static CidrBlock parse(String text) {
        int slash = text.indexOf('/');
        InetAddress address = IpLiteral.parse(slash < 0 ? text : text.substring(0, slash));
        int bits = address.getAddress().length * 8;
        if (slash < 0) {
            return new CidrBlock(address.getAddress(), bits);
        }
        String prefix = text.substring(slash + 1);
        if (!prefix.matches("0|[1-9][0-9]{0,2}") || Integer.parseInt(prefix) > bits) {
            throw new IllegalArgumentException("\"" + text + "\": the prefix length must be 0 to " + bits);
        }
        return new CidrBlock(address.getAddress(), Integer.parseInt(prefix));
    }

    /** Whether {@code address} is in this block; an IPv4-mapped IPv6 address counts as its IPv4 address. */
    public boolean contains(InetAddress address) {
        byte[] bytes = unmapped(address);
        if (bytes.length != network.length) {
            return false;
        }
        for (int bit = 0; bit < prefixLength; bit++) {
            int mask = 0x80 >>> (bit % 8);
            if ((bytes[bit / 8] & mask) != (network[bit / 8] & mask)) {
                return false;
            }
        }
        return true;
    }

    private static byte[] unmapped(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && bytes.length == 16 && Arrays.equals(bytes, 0, 10, new byte[10], 0, 10)
                && bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF) {
            return Arrays.copyOfRange(bytes, 12, 16);
        }
        return bytes;
    }

    @Override
    public byte[] network() {
        return network.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CidrBlock other && other.prefixLength == prefixLength && Arrays.equals(other.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return IpLiteral.byAddress(network).getHostAddress() + "/" + prefixLength;
    }
}
