package io.rrtcp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** proxy_protocol, trusted_proxies, proxy_header_timeout and tcp.shutdown_grace: defaults, inheritance, errors. */
class ProxyProtocolConfigTest {
    private static RrConfig parse(String tcpExtra, String serverExtra) {
        return ConnectionLimitsConfigTest.parse(tcpExtra, serverExtra);
    }

    private static ProxyProtocolConfig proxy(RrConfig config, String server) {
        return config.tcp().servers().get(server).proxy();
    }

    private static boolean trusts(ProxyProtocolConfig config, String address) {
        return config.trusts(IpLiteral.parse(address));
    }

    @Test
    void offByDefaultAndNoDrain() {
        RrConfig config = parse("", "");
        assertEquals(ProxyProtocolConfig.OFF, proxy(config, "smtp"));
        assertEquals(Duration.ZERO, config.tcp().shutdownGrace());
    }

    @Test
    void tcpSectionSetsTheDefaultAndAServerOverridesIt() {
        RrConfig config = parse("""
                proxy_protocol: v2
                trusted_proxies: ["127.0.0.1/32", "10.0.0.0/8"]
                shutdown_grace: 30s
                """, """
                proxy_protocol: any
                proxy_header_timeout: 2s
                """);
        ProxyProtocolConfig smtp = proxy(config, "smtp");
        assertEquals(ProxyProtocolConfig.Mode.ANY, smtp.mode());
        assertEquals(Duration.ofSeconds(2), smtp.headerTimeout());
        assertEquals(List.of(CidrBlock.parse("127.0.0.1/32"), CidrBlock.parse("10.0.0.0/8")), smtp.trustedProxies());
        ProxyProtocolConfig echo = proxy(config, "echo");
        assertEquals(ProxyProtocolConfig.Mode.V2, echo.mode());
        assertEquals(Duration.ofSeconds(5), echo.headerTimeout());
        assertEquals(Duration.ofSeconds(30), config.tcp().shutdownGrace());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void aBareYamlOffTurnsItOffForOneServer() {
        RrConfig config = parse("proxy_protocol: v1\ntrusted_proxies: [\"::1\"]", "proxy_protocol: off");
        assertFalse(proxy(config, "smtp").enabled());
        assertEquals(ProxyProtocolConfig.Mode.V1, proxy(config, "echo").mode());
    }

    @Test
    void onlyTrustedSourcesMayPresentAHeader() {
        ProxyProtocolConfig config = proxy(parse("", """
                proxy_protocol: v2
                trusted_proxies: ["127.0.0.1", "10.0.0.0/8", "fd00::/8", "192.168.1.77/24"]
                """), "smtp");
        assertTrue(trusts(config, "127.0.0.1"));
        assertFalse(trusts(config, "127.0.0.2"));
        assertTrue(trusts(config, "10.255.1.2"));
        assertFalse(trusts(config, "11.0.0.1"));
        assertTrue(trusts(config, "fd12:3456::1"));
        assertFalse(trusts(config, "fe80::1"));
        assertTrue(trusts(config, "192.168.1.200"), "host bits of a block are ignored");
        assertFalse(trusts(config, "192.168.2.1"));
        assertTrue(trusts(config, "::ffff:10.1.2.3"), "an IPv4-mapped address is its IPv4 address");
        assertFalse(trusts(config, "::1"), "families do not mix");
    }

    @Test
    void everySourceIsTrustedOnlyWhenSaidSo() {
        ProxyProtocolConfig config = proxy(parse("", """
                proxy_protocol: v1
                trusted_proxies: ["0.0.0.0/0", "::/0"]
                """), "smtp");
        assertTrue(trusts(config, "203.0.113.9"));
        assertTrue(trusts(config, "2001:db8::1"));
    }

    /** Rows are server lines, "; " between two of them. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "proxy_protocol: v3                                  | proxy_protocol       | must be off, v1, v2 or any, got \"v3\"",
            "proxy_protocol: true                                | proxy_protocol       | must be off, v1, v2 or any, got true",
            "proxy_protocol: 2                                   | proxy_protocol       | must be off, v1, v2 or any, got 2",
            "proxy_protocol: v2                                  | trusted_proxies      | required (here or under tcp) when proxy_protocol is v2: the addresses of your balancers, e.g. [\"10.0.0.0/8\"] (a PROXY header from anyone else would let them fake their address)",
            "'proxy_protocol: any; trusted_proxies: []'          | trusted_proxies      | required (here or under tcp) when proxy_protocol is any: the addresses of your balancers, e.g. [\"10.0.0.0/8\"] (a PROXY header from anyone else would let them fake their address)",
            "'trusted_proxies: [\"lb.example\"]'                 | trusted_proxies[0]   | \"lb.example\" is not an IPv4 address (four numbers 0-255, no leading zeros)",
            "'trusted_proxies: [\"10.0.0.0/33\"]'                | trusted_proxies[0]   | \"10.0.0.0/33\": the prefix length must be 0 to 32",
            "'trusted_proxies: [\"::/129\"]'                     | trusted_proxies[0]   | \"::/129\": the prefix length must be 0 to 128",
            "'trusted_proxies: [\"10.0.0.0/\"]'                  | trusted_proxies[0]   | \"10.0.0.0/\": the prefix length must be 0 to 32",
            "'trusted_proxies: [8]'                              | trusted_proxies[0]   | must be an address or CIDR block like \"10.0.0.0/8\", got 8",
            "'trusted_proxies: \"10.0.0.0/8\"'                   | trusted_proxies      | must be a list, got \"10.0.0.0/8\"",
            "proxy_header_timeout: 0s                            | proxy_header_timeout | must be a positive duration like 5s (a header must not be waited for forever)",
            "proxy_header_timeout: soon                          | proxy_header_timeout | invalid duration \"soon\" (use e.g. 500ms, 60s, 1m, 1h30m)",
    })
    void badValuesNameTheKey(String line, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("", line.replace("; ", "\n")));
        assertEquals("conf/.rr.yaml: tcp.servers.smtp." + key + ": " + problem, e.getMessage());
    }

    @Test
    void shutdownGraceIsADuration() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("shutdown_grace: '-5s'", ""));
        assertEquals("conf/.rr.yaml: tcp.shutdown_grace: must not be negative, got \"-5s\"", e.getMessage());
        ConfigException perServer = assertThrows(ConfigException.class,
                () -> parse("", "shutdown_grace: 5s\nproxy_protocol: v9"));
        assertEquals("tcp.servers.smtp.proxy_protocol", perServer.key());
    }
}
