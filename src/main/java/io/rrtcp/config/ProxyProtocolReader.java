package io.rrtcp.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Reads {@code proxy_protocol}, {@code trusted_proxies} and {@code proxy_header_timeout} of {@code tcp} or a server. */
final class ProxyProtocolReader {
    static final Set<String> KEYS = Set.of("proxy_protocol", "trusted_proxies", "proxy_header_timeout");

    private ProxyProtocolReader() {
    }

    /** The settings written in {@code section}, each absent one taken from {@code inherited}; not yet checked. */
    static ProxyProtocolConfig read(Node section, ProxyProtocolConfig inherited) {
        Node timeout = section.get("proxy_header_timeout");
        Duration headerTimeout = timeout.isAbsent() ? inherited.headerTimeout() : ConfigLoader.duration(timeout);
        if (headerTimeout.isZero()) {
            throw timeout.error("must be a positive duration like 5s (a header must not be waited for forever)");
        }
        return new ProxyProtocolConfig(mode(section.get("proxy_protocol"), inherited.mode()),
                trusted(section.get("trusted_proxies"), inherited.trustedProxies()), headerTimeout);
    }

    /** A server's final settings: with the protocol on, someone must be trusted to send the header. */
    static ProxyProtocolConfig forServer(Node server, ProxyProtocolConfig inherited) {
        ProxyProtocolConfig config = read(server, inherited);
        if (config.enabled() && config.trustedProxies().isEmpty()) {
            throw server.get("trusted_proxies").error("required (here or under tcp) when proxy_protocol is "
                    + config.mode().key() + ": the addresses of your balancers, e.g. [\"10.0.0.0/8\"] "
                    + "(a PROXY header from anyone else would let them fake their address)");
        }
        return config;
    }

    private static ProxyProtocolConfig.Mode mode(Node node, ProxyProtocolConfig.Mode inherited) {
        if (node.isAbsent()) {
            return inherited;
        }
        // YAML 1.1 reads a bare off as false
        if (Boolean.FALSE.equals(node.value()) || "off".equals(node.value())) {
            return ProxyProtocolConfig.Mode.OFF;
        }
        return switch (node.value() instanceof String text ? text : "") {
            case "v1" -> ProxyProtocolConfig.Mode.V1;
            case "v2" -> ProxyProtocolConfig.Mode.V2;
            case "any" -> ProxyProtocolConfig.Mode.ANY;
            default -> throw node.error("must be off, v1, v2 or any, got " + node.shown());
        };
    }

    private static List<CidrBlock> trusted(Node node, List<CidrBlock> inherited) {
        if (node.isAbsent()) {
            return inherited;
        }
        List<CidrBlock> blocks = new ArrayList<>();
        for (Node item : node.items()) {
            if (!(item.value() instanceof String text)) {
                throw item.error("must be an address or CIDR block like \"10.0.0.0/8\", got " + item.shown());
            }
            try {
                blocks.add(CidrBlock.parse(text.strip()));
            } catch (IllegalArgumentException e) {
                throw item.error(e.getMessage());
            }
        }
        return blocks;
    }
}
