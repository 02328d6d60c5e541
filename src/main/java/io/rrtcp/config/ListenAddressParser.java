package io.rrtcp.config;

/**
 * Turns a configured TCP address into a {@link ListenAddress}, following upstream's rules (an optional {@code tcp://},
 * then Go's {@code net.SplitHostPort}) and its error texts, so users see the messages RoadRunner docs mention.
 */
final class ListenAddressParser {
    private ListenAddressParser() {
    }

    static ListenAddress parse(String addr) {
        String[] parts = addr.split("://", -1);
        if (parts.length > 2) {
            throw new IllegalArgumentException("wrong number of parsed protocol parts, address: " + addr);
        }
        if (parts.length == 1) {
            return splitHostPort(addr, addr);
        }
        return switch (parts[0]) {
            case "tcp" -> splitHostPort(addr, parts[1]);
            case "unix" -> throw new IllegalArgumentException(
                    "unix sockets are not supported for tcp servers yet; use host:port (got " + addr + ")");
            default -> throw new IllegalArgumentException(
                    "invalid Protocol ([tcp://]:6001, unix://file.sock), address: " + addr);
        };
    }

    /** Go's {@code net.SplitHostPort}, with its messages, plus a hint for IPv6 literals written without brackets. */
    private static ListenAddress splitHostPort(String addr, String hostPort) {
        int lastColon = hostPort.lastIndexOf(':');
        String host;
        int openFrom; // where Go starts looking for stray brackets
        int closeFrom;
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw goError(hostPort, "missing ']' in address");
            }
            if (close + 1 == hostPort.length()) {
                throw goError(hostPort, "missing port in address");
            }
            if (close + 1 != lastColon) {
                throw goError(hostPort, hostPort.charAt(close + 1) == ':'
                        ? "too many colons in address" : "missing port in address");
            }
            host = hostPort.substring(1, close);
            openFrom = 1;
            closeFrom = close + 1;
        } else {
            if (lastColon < 0) {
                throw goError(hostPort, "missing port in address");
            }
            host = hostPort.substring(0, lastColon);
            if (host.indexOf(':') >= 0) {
                throw goError(hostPort, "too many colons in address; write IPv6 addresses in brackets, e.g. "
                        + bracketed(host, hostPort.substring(lastColon + 1)));
            }
            openFrom = 0;
            closeFrom = 0;
        }
        if (hostPort.indexOf('[', openFrom) >= 0) {
            throw goError(hostPort, "unexpected '[' in address");
        }
        if (hostPort.indexOf(']', closeFrom) >= 0) {
            throw goError(hostPort, "unexpected ']' in address");
        }
        return new ListenAddress(host, port(addr, hostPort.substring(lastColon + 1)));
    }

    private static int port(String addr, String text) {
        boolean digits = !text.isEmpty() && text.length() <= 5 && text.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || Integer.parseInt(text) > 65_535) {
            // Go would also look up service names such as "http"; a config is clearer with the number.
            throw new IllegalArgumentException("\"" + addr + "\": port must be a number from 0 to 65535");
        }
        return Integer.parseInt(text);
    }

    private static String bracketed(String host, String port) {
        boolean numericPort = !port.isEmpty() && port.chars().allMatch(c -> c >= '0' && c <= '9');
        return numericPort ? "[" + host + "]:" + port : "[::1]:7777";
    }

    private static IllegalArgumentException goError(String hostPort, String problem) {
        return new IllegalArgumentException("address " + hostPort + ": " + problem);
    }
}
