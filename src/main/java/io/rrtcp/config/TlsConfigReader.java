package io.rrtcp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code tls} section of one {@code tcp.servers.<name>} entry; paths are relative to the config file. */
final class TlsConfigReader {
    static final Set<String> KEYS = Set.of("cert", "key", "client_ca", "min_version", "starttls", "handshake_timeout");

    private TlsConfigReader() {
    }

    static Optional<TlsConfig> read(Node server, Path configFile) {
        Node tls = server.get("tls");
        if (tls.isAbsent()) {
            return Optional.empty();
        }
        tls.warnUnknownKeys(KEYS);
        Path base = configFile.toAbsolutePath().getParent();
        return Optional.of(new TlsConfig(file(tls.get("cert"), base, true).orElseThrow(),
                file(tls.get("key"), base, true).orElseThrow(), file(tls.get("client_ca"), base, false),
                minVersion(tls.get("min_version")), ConfigLoader.bool(tls.get("starttls"), false), handshakeTimeout(tls.get("handshake_timeout")),
                configFile, tls.path()));
    }

    private static Optional<Path> file(Node node, Path base, boolean required) {
        if (node.isAbsent() || "".equals(node.value())) {
            if (required) {
                throw node.error("missing: the path of a PEM file");
            }
            return Optional.empty();
        }
        if (!(node.value() instanceof String path)) {
            throw node.error("must be the path of a PEM file, got " + node.shown());
        }
        return Optional.of(base.resolve(path).normalize());
    }

    /** Accepts "1.2" and "1.3", also unquoted (YAML reads 1.2 as a number). */
    private static String minVersion(Node node) {
        if (node.isAbsent()) {
            return "1.2";
        }
        String text = node.isScalar() ? node.scalarText() : "";
        return switch (text) {
            case "1.2", "1.3" -> text;
            case "1.0", "1.1", "1" -> throw node.error("TLS " + text + " is not offered (deprecated by RFC 8996); "
                    + "use \"1.2\" or \"1.3\"");
            default -> throw node.error("must be \"1.2\" or \"1.3\", got " + node.shown());
        };
    }

    private static Duration handshakeTimeout(Node node) {
        if (node.isAbsent()) {
            return TlsConfig.DEFAULT_HANDSHAKE_TIMEOUT;
        }
        Duration d = ConfigLoader.duration(node);
        if (d.isZero()) {
            throw node.error("must be a positive duration (a handshake cannot be allowed to last forever), got "
                    + node.shown());
        }
        return d;
    }
}
