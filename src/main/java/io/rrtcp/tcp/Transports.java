package io.rrtcp.tcp;

import io.rrtcp.config.ConfigException;
import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.config.TlsConfig;
import io.rrtcp.log.Log;
import io.rrtcp.tls.CertificateWatcher;
import io.rrtcp.tls.ReloadingSslContext;
import io.rrtcp.tls.TlsFileException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The transport of every configured server, and the watcher that reloads the TLS ones' certificates. */
final class Transports {
    private static final Log LOG = Log.get("tls");

    private final Map<String, Transport> transports;
    private final CertificateWatcher watcher;

    private Transports(Map<String, Transport> transports, CertificateWatcher watcher) {
        this.transports = transports;
        this.watcher = watcher;
    }

    /**
     * Reads every server's TLS files.
     *
     * @throws ConfigException naming the file and the key ({@code tcp.servers.<name>.tls.cert}…) that cannot be used
     */
    static Transports load(Iterable<TcpServerConfig> servers) {
        Map<String, Transport> transports = new HashMap<>();
        List<ReloadingSslContext> contexts = new ArrayList<>();
        for (TcpServerConfig server : servers) {
            if (server.tls().isEmpty()) {
                continue;
            }
            TlsConfig tls = server.tls().get();
            List<String> warnings = new ArrayList<>();
            ReloadingSslContext context;
            try {
                context = ReloadingSslContext.load(server.name(), tls.cert(), tls.key(), tls.clientCa(), warnings);
            } catch (TlsFileException e) {
                throw new ConfigException(tls.configFile(), tls.keyPath() + "." + e.key(), e.getMessage());
            }
            warnings.forEach(w -> LOG.warn(w, "server", server.name(), "key", tls.keyPath() + ".cert"));
            LOG.info(tls.startTls() ? "STARTTLS offered" : "implicit TLS", "server", server.name(),
                    "subject", context.certificate().getSubjectX500Principal().getName(),
                    "not_after", context.certificate().getNotAfter().toInstant(), "min_version", tls.minVersion(),
                    "client_certificates", tls.clientCa().isPresent() ? "required" : "no");
            contexts.add(context);
            transports.put(server.name(), new TlsTransport(tls, context));
        }
        return new Transports(transports, new CertificateWatcher(contexts));
    }

    Transport of(String server) {
        return transports.getOrDefault(server, Transport.PLAIN);
    }

    void watch() {
        watcher.start();
    }

    void stopWatching() {
        watcher.stop();
    }
}
