package io.rrtcp.bench;

import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed RSA 2048 certificate made with openssl for the TLS benchmarks, the server YAML that uses it, and a
 * client socket factory that trusts it (TLS 1.3, the JDK's default choice).
 */
final class BenchTls {
    final Path cert;
    final Path key;
    final SocketFactory clients;

    private BenchTls(Path cert, Path key, SocketFactory clients) {
        this.cert = cert;
        this.key = key;
        this.clients = clients;
    }

    static BenchTls create() throws Exception {
        Path dir = Files.createTempDirectory("rr-tcp-bench-tls");
        Path cert = dir.resolve("bench.pem");
        Path key = dir.resolve("bench.key");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("openssl could not make the benchmark certificate: " + out);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("bench", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return new BenchTls(cert, key, context.getSocketFactory());
    }

    /** The server's tls section. */
    String yaml() {
        return "tls:\n  cert: " + cert + "\n  key: " + key + "\n";
    }
}
