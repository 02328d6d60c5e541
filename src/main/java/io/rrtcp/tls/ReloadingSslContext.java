package io.rrtcp.tls;

import io.rrtcp.log.Log;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One TLS server's {@link SSLContext}, built from its PEM files and rebuilt when they change on disk: new connections
 * take {@link #current()}, connections already open keep the context they were made with. A renewal that cannot be
 * used (a half-written file, a key that does not match yet) keeps the previous context and is retried once the files
 * change again.
 */
public final class ReloadingSslContext {
    private static final Log LOG = Log.get("tls");
    /** The in-memory key store's password; it never leaves this process. */
    private static final char[] STORE_PASSWORD = "rr-tcp".toCharArray();

    private final String server;
    private final Path cert;
    private final Path key;
    private final Optional<Path> clientCa;
    private volatile SSLContext current;
    private volatile X509Certificate leaf;
    /** The files as they were when last read, successfully or not. */
    private FileStamps lastRead;

    private ReloadingSslContext(String server, Path cert, Path key, Optional<Path> clientCa) {
        this.server = server;
        this.cert = cert;
        this.key = key;
        this.clientCa = clientCa;
    }

    /**
     * Reads the files now.
     *
     * @param server the server's name, for logs
     * @return the context with the warnings of the first read (e.g. an expired certificate) in {@code warnings}
     * @throws TlsFileException naming the key (cert, key, client_ca) whose file cannot be used
     */
    public static ReloadingSslContext load(String server, Path cert, Path key, Optional<Path> clientCa,
                                           List<String> warnings) throws TlsFileException {
        ReloadingSslContext ctx = new ReloadingSslContext(server, cert, key, clientCa);
        ctx.lastRead = ctx.stamps();
        TlsMaterial material = TlsMaterial.load(cert, key, clientCa);
        ctx.use(material);
        warnings.addAll(material.warnings());
        return ctx;
    }

    /** The context for a new connection. */
    public SSLContext current() {
        return current;
    }

    /** The certificate new connections are shown. */
    public X509Certificate certificate() {
        return leaf;
    }

    public boolean verifiesClients() {
        return clientCa.isPresent();
    }

    /** Rebuilds the context when a file changed since it was last read; called by the {@link CertificateWatcher}. */
    void reloadIfChanged() {
        FileStamps now = stamps();
        if (now.equals(lastRead)) {
            return;
        }
        lastRead = now;
        try {
            TlsMaterial material = TlsMaterial.load(cert, key, clientCa);
            use(material);
            LOG.info("tls certificate reloaded; new connections get it", "server", server,
                    "serial", leaf.getSerialNumber().toString(16), "not_after", leaf.getNotAfter().toInstant());
            material.warnings().forEach(w -> LOG.warn(w, "server", server));
        } catch (TlsFileException e) {
            LOG.warn("tls files changed but cannot be used; new connections keep the previous certificate until "
                    + "they change again", "server", server, "key", "tls." + e.key(), "error", e.getMessage());
        }
    }

    private FileStamps stamps() {
        List<Path> files = new ArrayList<>(List.of(cert, key));
        clientCa.ifPresent(files::add);
        return FileStamps.of(files);
    }

    private void use(TlsMaterial material) throws TlsFileException {
        try {
            current = build(material);
            leaf = material.leaf();
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new TlsFileException("cert", "cannot build a TLS context from " + cert + " and " + key + ": "
                    + e.getMessage());
        }
    }

    private static SSLContext build(TlsMaterial m) throws GeneralSecurityException, java.io.IOException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", m.key(), STORE_PASSWORD, m.chain().toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, STORE_PASSWORD);
        TrustManager[] trust = null;
        if (!m.clientCas().isEmpty()) {
            KeyStore cas = KeyStore.getInstance("PKCS12");
            cas.load(null, null);
            for (int i = 0; i < m.clientCas().size(); i++) {
                cas.setCertificateEntry("client-ca-" + i, m.clientCas().get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(cas);
            trust = tmf.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), trust, null);
        return context;
    }
}
