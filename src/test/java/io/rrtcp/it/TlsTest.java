package io.rrtcp.it;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import io.rrtcp.cli.CliRun;
import io.rrtcp.support.Certificates;
import io.rrtcp.support.DebianPackages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Implicit TLS (TLS from the first byte) with real clients: Java's, openssl s_client and Python's ssl module. */
class TlsTest {
    private static final Path PYTHON_CLIENT = Path.of("src/test/resources/clients/tls_client.py").toAbsolutePath();

    @TempDir
    static Path certDir;
    static Certificates certs;
    static Certificates.Pair ca;
    static Certificates.Pair server;
    static Certificates.Pair client;
    static Certificates.Pair strangerCa;
    static Certificates.Pair stranger;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws IOException {
        certs = Certificates.in(certDir);
        ca = certs.ca("ca");
        server = certs.signed("server", "localhost", ca, 0x1001);
        client = certs.signed("client", "client-one", ca, 0x3001);
        strangerCa = certs.ca("stranger-ca");
        stranger = certs.signed("stranger", "stranger", strangerCa, 0x4001);
    }

    private static String tls(Certificates.Pair pair, String... more) {
        return "tls:\n  cert: " + pair.cert() + "\n  key: " + pair.key() + "\n"
                + String.join("", List.of(more).stream().map(l -> "  " + l + "\n").toList());
    }

    private TestServer start(String... tlsLines) throws Exception {
        return TestServer.in(dir).script("tls-worker.php").workers(1)
                .server("secure", "\\n", tls(server, tlsLines)).start();
    }

    private static JsonObject context(SSLSocket s) throws IOException {
        TlsClients.send(s, "ctx\n");
        return Json.parse(TlsClients.readLine(s)).asObject();
    }

    @Test
    void javaClientsTalkTls13AndTls12AndWorkersSeeTheSessionInTheContext() throws Exception {
        try (TestServer rr = start()) {
            SSLContext trusting = TlsClients.context(ca.cert(), Optional.empty());
            for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
                try (SSLSocket s = TlsClients.connect(trusting, rr.port("secure"), protocol)) {
                    TlsClients.send(s, "hello over " + protocol + "\n");
                    assertEquals("hello over " + protocol + "\n", TlsClients.readLine(s));
                    JsonObject ctx = context(s);
                    assertEquals("secure", ctx.getString("server", ""));
                    assertEquals("DATA", ctx.getString("event", ""));
                    assertEquals("127.0.0.1:" + s.getLocalPort(), ctx.getString("remote_addr", ""));
                    JsonObject tls = ctx.get("tls").asObject();
                    assertEquals(protocol, tls.getString("version", ""));
                    assertEquals(s.getSession().getCipherSuite(), tls.getString("cipher", ""));
                    assertTrue(tls.get("client_subject") == null, "no client certificate was shown: " + tls);
                }
            }
        }
    }

    @Test
    void minVersion13RefusesATls12ClientWithALogLineAndNoEvent() throws Exception {
        try (LogCapture log = new LogCapture(); TestServer rr = start("min_version: \"1.3\"")) {
            SSLContext trusting = TlsClients.context(ca.cert(), Optional.empty());
            assertThrows(IOException.class, () -> TlsClients.connect(trusting, rr.port("secure"), "TLSv1.2"));
            log.await(Duration.ofSeconds(10), "the TLS handshake failed", "server=secure");
            try (SSLSocket s = TlsClients.connect(trusting, rr.port("secure"), "TLSv1.3")) {
                assertEquals("TLSv1.3", context(s).get("tls").asObject().getString("version", ""));
            }
            assertEquals(1, rr.events().stream().filter(e -> e.event().equals("CONNECTED")).count(),
                    "the refused client never reached a worker: " + rr.events());
        }
    }

    @Test
    void opensslSClientVerifiesTheCertificateAndGetsItsEcho() throws Exception {
        Path openssl = DebianPackages.require("openssl", "openssl");
        try (TestServer rr = start()) {
            ExternalCommand run = ExternalCommand.run(dir, List.of(openssl.toString(), "s_client", "-connect",
                    "127.0.0.1:" + rr.port("secure"), "-CAfile", ca.cert().toString(), "-verify_return_error",
                    "-verify_hostname", "localhost", "-ign_eof"), "ping over s_client\nctx\nbye\n", Duration.ofSeconds(30));
            // -ign_eof: s_client stays until the server closes the connection (after "bye"), so it sees every answer
            assertTrue(run.output().contains("Verify return code: 0 (ok)"), run.output());
            assertTrue(run.output().contains("ping over s_client"), run.output());
            assertTrue(run.output().contains("\"tls\":{\"version\":\"TLSv1.3\""), run.output());
        }
    }

    @Test
    void pythonSslClientVerifiesTheCertificateAndGetsItsEcho() throws Exception {
        try (TestServer rr = start()) {
            ExternalCommand run = ExternalCommand.run(dir, List.of("python3", PYTHON_CLIENT.toString(),
                    Integer.toString(rr.port("secure")), ca.cert().toString()), "", Duration.ofSeconds(30));
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("version TLSv1.3"), run.output());
            assertTrue(run.output().contains("\"tls\":{\"version\":\"TLSv1.3\""), run.output());
        }
    }

    @Test
    void aRequiredClientCertificateIsVerifiedAndItsSubjectReachesTheWorker() throws Exception {
        try (LogCapture log = new LogCapture(); TestServer rr = start("client_ca: " + ca.cert())) {
            try (SSLSocket s = TlsClients.connect(TlsClients.context(ca.cert(), Optional.of(client)),
                    rr.port("secure"), "TLSv1.3")) {
                assertEquals("CN=client-one", context(s).get("tls").asObject().getString("client_subject", ""));
            }
            ExternalCommand python = ExternalCommand.run(dir, List.of("python3", PYTHON_CLIENT.toString(),
                    Integer.toString(rr.port("secure")), ca.cert().toString(), client.cert().toString(),
                    client.key().toString()), "", Duration.ofSeconds(30));
            assertTrue(python.output().contains("\"client_subject\":\"CN=client-one\""), python.output());

            // TLS 1.3 ends the client's handshake before the server has checked its certificate: the refusal
            // shows on the first read
            assertThrows(IOException.class, () -> {
                try (SSLSocket s = TlsClients.connect(TlsClients.context(ca.cert(), Optional.empty()),
                        rr.port("secure"), "TLSv1.3")) {
                    TlsClients.send(s, "ctx\n");
                    if (TlsClients.readLine(s).isEmpty()) {
                        throw new IOException("closed without an answer");
                    }
                }
            }, "no client certificate");
            // Java's client offers only certificates of the CAs the server names; Python shows whatever it has
            ExternalCommand strangerRun = ExternalCommand.run(dir, List.of("python3", PYTHON_CLIENT.toString(),
                    Integer.toString(rr.port("secure")), ca.cert().toString(), stranger.cert().toString(),
                    stranger.key().toString()), "", Duration.ofSeconds(30));
            assertTrue(strangerRun.exitCode() != 0 && !strangerRun.output().contains("answer {"), strangerRun.output());
            log.await(Duration.ofSeconds(10), "the TLS handshake failed", "Empty client certificate chain");
            log.await(Duration.ofSeconds(10), "the TLS handshake failed", "PKIX path");
            assertEquals(2, rr.events().stream().filter(e -> e.event().equals("CONNECTED")).count(),
                    "only the two clients with a good certificate reached a worker: " + rr.events());
        }
    }

    @Test
    void aClientThatNeverCompletesTheHandshakeIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (LogCapture log = new LogCapture(); TestServer rr = start("handshake_timeout: 300ms");
             SSLSocket quiet = TlsClients.connect(TlsClients.context(ca.cert(), Optional.empty()), rr.port("secure"),
                     "TLSv1.3")) {
            try (Socket silent = new Socket("127.0.0.1", rr.port("secure"))) {
                silent.setSoTimeout(15_000);
                TlsClients.send(silent, "\u0016\u0003"); // the start of a TLS record, then nothing
                assertEquals(-1, silent.getInputStream().read(), "closed by the server");
            }
            log.await(Duration.ofSeconds(10), "tls.handshake_timeout exceeded", "server=secure");
            List<TestServer.Event> events = rr.awaitEvents(all -> !all.isEmpty(), Duration.ofSeconds(10));
            assertEquals(1, events.size(), "no event for the connection that never completed TLS: " + events);
            // the handshake's bound ends with it: a connection that completed TLS may stay quiet (no idle_timeout)
            TlsClients.send(quiet, "still served after a quiet while\n");
            assertEquals("still served after a quiet while\n", TlsClients.readLine(quiet));
        }
    }

    @Test
    void behindAProxyTheProxyHeaderComesFirstInPlainTextThenTls() throws Exception {
        try (TestServer rr = TestServer.in(dir).script("tls-worker.php").workers(1).tcp("proxy_protocol: any")
                .tcp("trusted_proxies: [\"127.0.0.1/32\"]").server("secure", "\\n", tls(server)).start()) {
            Socket plain = new Socket("127.0.0.1", rr.port("secure"));
            TlsClients.send(plain, "PROXY TCP4 203.0.113.7 127.0.0.1 5555 443\r\n");
            try (SSLSocket s = TlsClients.upgrade(TlsClients.context(ca.cert(), Optional.empty()), plain, "TLSv1.3")) {
                JsonObject ctx = context(s);
                assertEquals("203.0.113.7:5555", ctx.getString("remote_addr", ""));
                assertEquals("127.0.0.1:" + plain.getLocalPort(), ctx.getString("proxy_addr", ""));
                assertEquals("TLSv1.3", ctx.get("tls").asObject().getString("version", ""));
            }
        }
    }

    @Test
    void idleTimeoutStillClosesAQuietTlsConnection() throws Exception {
        try (LogCapture log = new LogCapture(); TestServer rr = TestServer.in(dir).script("tls-worker.php").workers(1)
                .tcp("idle_timeout: 300ms").server("secure", "\\n", tls(server)).start();
             SSLSocket s = TlsClients.connect(TlsClients.context(ca.cert(), Optional.empty()), rr.port("secure"),
                     "TLSv1.3")) {
            TlsClients.send(s, "one\n");
            assertEquals("one\n", TlsClients.readLine(s));
            assertEquals(0, TlsClients.readToEnd(s).length, "closed by the server after idle_timeout");
            log.await(Duration.ofSeconds(10), "idle_timeout exceeded", "server=secure");
            String uuid = rr.firstClosedUuid();
            assertEquals(List.of("CONNECTED", "DATA", "CLOSE"), rr.eventNamesAfterClose(uuid));
        }
    }

    @Test
    void aCertificateReplacedOnDiskReachesNewConnectionsWhileOpenOnesKeepTheirs() throws Exception {
        Path cert = dir.resolve("live.pem");
        Path key = dir.resolve("live.key");
        Files.copy(server.cert(), cert);
        Files.copy(server.key(), key);
        Certificates.Pair live = new Certificates.Pair(cert, key);
        try (LogCapture log = new LogCapture(); TestServer rr = TestServer.in(dir).script("tls-worker.php").workers(1)
                .server("secure", "\\n", tls(live)).start()) {
            SSLContext trusting = TlsClients.context(ca.cert(), Optional.empty());
            try (SSLSocket before = TlsClients.connect(trusting, rr.port("secure"), "TLSv1.3")) {
                assertEquals(BigInteger.valueOf(0x1001), serial(before));

                Certificates.Pair renewed = certs.signed("renewed", "localhost", ca, 0x2002);
                // as certbot does: new files moved into place (key first; a mismatch in between is only retried)
                Files.copy(renewed.key(), dir.resolve("live.key.new"));
                Files.copy(renewed.cert(), dir.resolve("live.pem.new"));
                Files.move(dir.resolve("live.key.new"), key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.move(dir.resolve("live.pem.new"), cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

                BigInteger seen = Await.until(() -> {
                    try (SSLSocket s = TlsClients.connect(trusting, rr.port("secure"), "TLSv1.3")) {
                        return serial(s);
                    }
                }, BigInteger.valueOf(0x2002)::equals, Duration.ofSeconds(15), "the renewed certificate");
                assertEquals(BigInteger.valueOf(0x2002), seen);
                log.await(Duration.ofSeconds(5), "tls certificate reloaded", "serial=2002");

                TlsClients.send(before, "still here\n");
                assertEquals("still here\n", TlsClients.readLine(before), "the open connection is untouched");
                assertEquals(BigInteger.valueOf(0x1001), serial(before));
            }
        }
    }

    @Test
    void serveExitsWith2NamingTheKeyWhenTheKeyDoesNotMatchTheCertificate() throws Exception {
        Path file = dir.resolve(".rr.yaml");
        Files.writeString(file, "version: '3'\nserver:\n  command: \"php " + TestServer.WORKERS.resolve("tls-worker.php")
                + "\"\ntcp:\n  servers:\n    secure:\n      addr: 127.0.0.1:0\n"
                + tls(new Certificates.Pair(server.cert(), client.key())).indent(6)
                + "  pool:\n    num_workers: 1\n");
        CliRun run = CliRun.of("serve", "-c", file.toString());
        assertEquals(2, run.code(), run.err());
        assertTrue(run.err().contains("tcp.servers.secure.tls.key"), run.err());
        assertTrue(run.err().contains("does not belong to the certificate"), run.err());
        assertTrue(run.err().contains(file.toString()), run.err());
        assertFalse(run.err().contains("\tat io.rrtcp"), run.err());
    }

    private static BigInteger serial(SSLSocket s) throws IOException {
        return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
    }
}
