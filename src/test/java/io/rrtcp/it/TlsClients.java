package io.rrtcp.it;

import io.rrtcp.support.Certificates;
import io.rrtcp.tls.TlsMaterial;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.cert.CertificateFactory;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Optional;

/** Java's own TLS client for the tests: trusts the test CA, optionally shows a client certificate. */
final class TlsClients {
    private TlsClients() {
    }

    static SSLContext context(Path caCert, Optional<Certificates.Pair> clientCert) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManager[] keys = null;
        if (clientCert.isPresent()) {
            TlsMaterial mine = TlsMaterial.load(clientCert.get().cert(), clientCert.get().key(), Optional.empty());
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", mine.key(), "pw".toCharArray(), mine.chain().toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, "pw".toCharArray());
            keys = kmf.getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, tmf.getTrustManagers(), null);
        return context;
    }

    /** Connects over TLS with only {@code protocol} enabled, checking the server's name, and completes the handshake. */
    static SSLSocket connect(SSLContext context, int port, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port);
        return handshake(s, protocol);
    }

    /** TLS over an already connected plain socket (after STARTTLS). */
    static SSLSocket upgrade(SSLContext context, Socket plain, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        return handshake(s, protocol);
    }

    /** One line (up to and including "\n") from the socket, read byte by byte so nothing past it is consumed. */
    static String readLine(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            line.write(b);
            if (b == '\n') {
                break;
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    /** Everything until the peer closes (or resets) the connection. */
    static byte[] readToEnd(Socket s) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            InputStream in = s.getInputStream();
            for (int b; (b = in.read()) >= 0; ) {
                got.write(b);
            }
        } catch (IOException reset) {
            // the end as well
        }
        return got.toByteArray();
    }

    static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        s.getOutputStream().flush();
    }

    private static SSLSocket handshake(SSLSocket s, String protocol) throws IOException {
        s.setSoTimeout(15_000);
        SSLParameters params = s.getSSLParameters();
        params.setProtocols(new String[]{protocol});
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate must name localhost / 127.0.0.1
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }
}
