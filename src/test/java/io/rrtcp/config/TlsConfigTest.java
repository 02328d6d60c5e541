package io.rrtcp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A server's tls section: defaults, paths relative to the config file, errors naming the key. */
class TlsConfigTest {
    private static final Path FILE = Path.of("/etc/rr/.rr.yaml");

    private static RrConfig parse(String tls) {
        String yaml = "version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    smtps:\n      addr: 127.0.0.1:465\n"
                + tls.indent(6) + "    plain:\n      addr: 127.0.0.1:25\n";
        return ConfigLoader.parse(yaml, FILE);
    }

    @Test
    void aServerWithoutTlsIsPlain() {
        assertEquals(Optional.empty(), parse("").tcp().servers().get("smtps").tls());
    }

    @Test
    void defaultsAreTls12AndUpImplicitTlsNoClientCertificatesAnd10sHandshake() {
        RrConfig config = parse("tls:\n  cert: certs/mail.pem\n  key: /secret/mail.key\n");
        TlsConfig tls = config.tcp().servers().get("smtps").tls().orElseThrow();
        assertEquals(Path.of("/etc/rr/certs/mail.pem"), tls.cert(), "relative to the config file");
        assertEquals(Path.of("/secret/mail.key"), tls.key());
        assertEquals(Optional.empty(), tls.clientCa());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
        assertFalse(tls.startTls());
        assertEquals(Duration.ofSeconds(10), tls.handshakeTimeout());
        assertEquals("tcp.servers.smtps.tls", tls.keyPath());
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
        assertEquals(Optional.empty(), config.tcp().servers().get("plain").tls());
    }

    @Test
    void everyKeySet() {
        TlsConfig tls = parse("""
                tls:
                  cert: a.pem
                  key: a.key
                  client_ca: ca.pem
                  min_version: 1.3
                  starttls: true
                  handshake_timeout: 3s
                """).tcp().servers().get("smtps").tls().orElseThrow();
        assertEquals(Optional.of(Path.of("/etc/rr/ca.pem")), tls.clientCa());
        assertEquals(List.of("TLSv1.3"), tls.protocols(), "an unquoted 1.3 (a YAML number) works too");
        assertTrue(tls.startTls());
        assertEquals(Duration.ofSeconds(3), tls.handshakeTimeout());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tls:\\n  key: a.key                              | tcp.servers.smtps.tls.cert | missing",
            "tls:\\n  cert: a.pem                             | tcp.servers.smtps.tls.key | missing",
            "tls:\\n  cert: [a]\\n  key: a.key                | tcp.servers.smtps.tls.cert | must be the path of a PEM file",
            "tls:\\n  cert: a\\n  key: b\\n  min_version: 1.1 | tcp.servers.smtps.tls.min_version | RFC 8996",
            "tls:\\n  cert: a\\n  key: b\\n  min_version: tls13 | tcp.servers.smtps.tls.min_version | must be \"1.2\" or \"1.3\"",
            "tls:\\n  cert: a\\n  key: b\\n  starttls: maybe | tcp.servers.smtps.tls.starttls | true or false",
            "tls:\\n  cert: a\\n  key: b\\n  handshake_timeout: 0 | tcp.servers.smtps.tls.handshake_timeout | positive",
    })
    void badValuesNameTheKeyAndTheFile(String yaml, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml.replace("\\n", "\n")));
        assertEquals(key, e.key());
        assertTrue(e.getMessage().contains(problem) && e.getMessage().contains(FILE.toString()), e.getMessage());
    }

    @Test
    void anUnknownKeyIsAWarning() {
        RrConfig config = parse("tls:\n  cert: a\n  key: b\n  ciphers: all\n");
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("tcp.servers.smtps.tls.ciphers")),
                config.warnings().toString());
    }
}
