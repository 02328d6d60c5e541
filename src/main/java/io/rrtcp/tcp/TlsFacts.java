package io.rrtcp.tcp;

import com.eclipsesource.json.JsonObject;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What a worker may want to know about a connection's TLS session; sent in the event context as
 * {@code "tls":{"version","cipher","client_subject"}}.
 *
 * @param version       e.g. TLSv1.3
 * @param cipher        the cipher suite, e.g. TLS_AES_256_GCM_SHA384
 * @param clientSubject the client certificate's subject (RFC 2253), when the client showed one
 */
record TlsFacts(String version, String cipher, Optional<String> clientSubject) {
    static TlsFacts of(SSLSession session) {
        Optional<String> subject;
        try {
            subject = session.getPeerCertificates().length > 0
                    && session.getPeerCertificates()[0] instanceof X509Certificate x509
                    ? Optional.of(x509.getSubjectX500Principal().getName()) : Optional.empty();
        } catch (SSLPeerUnverifiedException noClientCertificate) {
            subject = Optional.empty();
        }
        return new TlsFacts(session.getProtocol(), session.getCipherSuite(), subject);
    }

    String toJson() {
        JsonObject o = new JsonObject().add("version", version).add("cipher", cipher);
        clientSubject.ifPresent(s -> o.add("client_subject", s));
        return o.toString();
    }
}
