package io.rrtcp.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A server's {@code tls} section. The files are read when the server starts (after {@code server.on_init}, which may
 * create them) and again whenever they change on disk.
 *
 * @param cert             PEM certificate chain, the server's own certificate first
 * @param key              PEM private key: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted
 * @param clientCa         when present, clients must show a certificate issued by one of these CAs
 * @param minVersion       "1.2" (default) or "1.3"
 * @param startTls         true: connections start in plain text and switch on {@code tcp.StartTLS}
 * @param handshakeTimeout the whole handshake must end within this (default 10s)
 * @param configFile       the config file, for messages about the files
 * @param keyPath          the section's key path, e.g. {@code tcp.servers.smtps.tls}
 */
public record TlsConfig(Path cert, Path key, Optional<Path> clientCa, String minVersion, boolean startTls,
                        Duration handshakeTimeout, Path configFile, String keyPath) {
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    public TlsConfig {
        if (!minVersion.equals("1.2") && !minVersion.equals("1.3")) {
            throw new IllegalArgumentException("min_version must be 1.2 or 1.3");
        }
        if (handshakeTimeout.isZero() || handshakeTimeout.isNegative()) {
            throw new IllegalArgumentException("handshake_timeout must be positive");
        }
    }

    /** The JSSE protocol names to enable, newest first. */
    public List<String> protocols() {
        return minVersion.equals("1.3") ? List.of("TLSv1.3") : List.of("TLSv1.3", "TLSv1.2");
    }
}
