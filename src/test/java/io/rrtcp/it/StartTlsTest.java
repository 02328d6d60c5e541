package io.rrtcp.it;

import io.rrtcp.rpc.RpcClient;
import io.rrtcp.rpc.RpcException;
import io.rrtcp.support.Certificates;
import io.rrtcp.support.DebianPackages;
import com.eclipsesource.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * STARTTLS driven by the worker: the SMTP test worker calls tcp.StartTLS and answers "220 Ready to start TLS"; real
 * mail clients (Python's smtplib, swaks, openssl s_client -starttls smtp) then talk TLS on the same connection.
 */
class StartTlsTest {
    private static final Path SMTP_CLIENT = Path.of("src/test/resources/clients/smtp_starttls.py").toAbsolutePath();

    @TempDir
    static Path certDir;
    static Certificates.Pair ca;
    static Certificates.Pair server;

    @TempDir
    Path dir;

    @BeforeAll
    static void makeCertificates() throws IOException {
        Certificates certs = Certificates.in(certDir);
        ca = certs.ca("ca");
        server = certs.signed("server", "localhost", ca, 0x1001);
    }

    private TestServer start() throws Exception {
        return TestServer.in(dir).script("tls-worker.php").workers(1).rpc("tcp://127.0.0.1:0")
                .server("smtp", "\\r\\n", "tls:\n  cert: " + server.cert() + "\n  key: " + server.key()
                        + "\n  starttls: true\n")
                .server("plain", "\\n").start();
    }

    @Test
    void pythonSmtplibStartsTlsAndSendsMail() throws Exception {
        try (TestServer rr = start()) {
            ExternalCommand run = ExternalCommand.run(dir, List.of("python3", SMTP_CLIENT.toString(),
                    Integer.toString(rr.port("smtp")), ca.cert().toString()), "", Duration.ofSeconds(30));
            assertEquals(0, run.exitCode(), run.output());
            String out = run.output();
            assertTrue(out.contains("offers starttls True"), out);
            assertTrue(out.contains("starttls 220 Ready to start TLS"), out);
            assertTrue(out.contains("offers starttls after False"), out);
            assertTrue(out.contains("tls version TLSv1.3"), out);
            assertTrue(out.contains("refused {}"), out);
            assertTrue(out.contains("\"tls\":{\"version\":\"TLSv1.3\""), out);
        }
    }

    @Test
    void swaksSendsMailOverStartTls() throws Exception {
        Path swaks = DebianPackages.require("swaks", "swaks");
        try (TestServer rr = start()) {
            ExternalCommand run = ExternalCommand.run(dir, List.of(swaks.toString(), "--server",
                    "127.0.0.1:" + rr.port("smtp"), "--tls", "--tls-verify", "--tls-ca-path", ca.cert().toString(),
                    "--from", "sender@example.com", "--to", "rcpt@example.com", "--ehlo", "client.example",
                    "--timeout", "20"), "", Duration.ofSeconds(60));
            Files.writeString(Path.of("target", "swaks-starttls.txt"), run.output()); // quoted in the docs
            assertEquals(0, run.exitCode(), run.output());
            assertTrue(run.output().contains("<-  220 Ready to start TLS"), run.output());
            assertTrue(run.output().contains("=== TLS started with cipher TLSv1.3"), run.output());
            assertTrue(run.output().contains("<~  250 OK queued"), run.output());
            assertTrue(run.output().contains("<~  221 Bye"), run.output());
        }
    }

    @Test
    void opensslSClientStartsTlsForSmtp() throws Exception {
        Path openssl = DebianPackages.require("openssl", "openssl");
        try (TestServer rr = start()) {
            ExternalCommand run = ExternalCommand.run(dir, List.of(openssl.toString(), "s_client", "-connect",
                    "127.0.0.1:" + rr.port("smtp"), "-starttls", "smtp", "-CAfile", ca.cert().toString(),
                    "-verify_return_error", "-crlf", "-ign_eof"), "EHLO client.example\nXCTX\nQUIT\n",
                    Duration.ofSeconds(30));
            Files.writeString(Path.of("target", "openssl-starttls.txt"), run.output()); // quoted in the docs
            String out = run.output();
            assertTrue(out.contains("Verify return code: 0 (ok)"), out);
            assertTrue(out.contains("250 8BITMIME"), out);
            assertTrue(!out.contains("250-STARTTLS"), "STARTTLS is not offered again inside TLS: " + out);
            assertTrue(out.contains("\"tls\":{\"version\":\"TLSv1.3\""), out);
            assertTrue(out.contains("221 Bye"), out);
        }
    }

    @Test
    void commandsPipelinedAfterStartTlsAreDiscardedNotExecuted() throws Exception {
        try (LogCapture log = new LogCapture(); TestServer rr = start()) {
            Socket plain = new Socket("127.0.0.1", rr.port("smtp"));
            plain.setSoTimeout(15_000);
            assertTrue(TlsClients.readLine(plain).startsWith("220 "));
            TlsClients.send(plain, "EHLO attacker\r\n");
            while (!TlsClients.readLine(plain).startsWith("250 ")) {
                // the multi-line EHLO answer
            }
            String injected = "MAIL FROM:<injected@example.com>\r\nRSET\r\n";
            TlsClients.send(plain, "STARTTLS\r\n" + injected); // one write: they arrive with STARTTLS
            assertEquals("220 Ready to start TLS\r\n", TlsClients.readLine(plain), "nothing answered in plain text");
            try (SSLSocket tls = TlsClients.upgrade(TlsClients.context(ca.cert(), Optional.empty()), plain, "TLSv1.3")) {
                TlsClients.send(tls, "NOOP\r\n");
                assertEquals("250 OK\r\n", TlsClients.readLine(tls), "the first answer in TLS is to the first command in TLS");
                TlsClients.send(tls, "QUIT\r\n");
                assertEquals("221 Bye\r\n", TlsClients.readLine(tls));
            }
            String uuid = rr.firstClosedUuid();
            List<String> commands = rr.events(uuid).stream().filter(e -> e.event().equals("DATA"))
                    .map(TestServer.Event::body).toList();
            assertEquals(List.of("EHLO attacker\r\n", "STARTTLS\r\n", "NOOP\r\n", "QUIT\r\n"), commands);
            log.await(Duration.ofSeconds(5), "STARTTLS: discarded bytes", "bytes=" + injected.length());
        }
    }

    @Test
    void aFailedStartTlsHandshakeClosesWithOneCloseEventAndALogLine() throws Exception {
        try (LogCapture log = new LogCapture(); TestServer rr = start()) {
            try (Socket plain = new Socket("127.0.0.1", rr.port("smtp"))) {
                plain.setSoTimeout(15_000);
                TlsClients.readLine(plain);
                TlsClients.send(plain, "STARTTLS\r\n");
                assertEquals("220 Ready to start TLS\r\n", TlsClients.readLine(plain));
                TlsClients.send(plain, "this is not a TLS ClientHello\r\n");
                byte[] rest = TlsClients.readToEnd(plain);
                assertTrue(rest.length == 0 || rest[0] == 0x15, "at most a TLS alert, then the end");
            }
            log.await(Duration.ofSeconds(10), "the TLS handshake failed", "server=smtp");
            String uuid = rr.firstClosedUuid();
            assertEquals(List.of("CONNECTED", "DATA", "CLOSE"), rr.eventNamesAfterClose(uuid));
        }
    }

    @Test
    void startTlsIsRefusedForPlainServersUnknownAndAlreadyEncryptedConnections() throws Exception {
        try (TestServer rr = start(); Client plainClient = rr.connect("plain");
             RpcClient rpc = RpcClient.connect(rr.rpc())) {
            plainClient.send("hello\n").readLine();
            String plainUuid = rr.uuidOf(plainClient);
            RpcException plain = assertThrows(RpcException.class, () -> rpc.call("tcp.StartTLS", Json.value(plainUuid)));
            assertTrue(plain.getMessage().contains("does not offer STARTTLS"), plain.getMessage());
            RpcException unknown = assertThrows(RpcException.class, () -> rpc.call("tcp.StartTLS", Json.value("nope")));
            assertTrue(unknown.getMessage().contains("no such connection"), unknown.getMessage());

            Socket s = new Socket("127.0.0.1", rr.port("smtp"));
            s.setSoTimeout(15_000);
            TlsClients.readLine(s);
            TlsClients.send(s, "STARTTLS\r\n");
            TlsClients.readLine(s);
            try (SSLSocket tls = TlsClients.upgrade(TlsClients.context(ca.cert(), Optional.empty()), s, "TLSv1.2")) {
                TlsClients.send(tls, "XCTX\r\n");
                String ctx = TlsClients.readLine(tls);
                assertTrue(ctx.contains("\"version\":\"TLSv1.2\""), ctx);
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"uuid\":\"([^\"]+)\"").matcher(ctx);
                assertTrue(m.find(), ctx);
                String uuid = m.group(1);
                assertTrue(ctx.startsWith("250 {"), ctx);
                RpcException again = assertThrows(RpcException.class, () -> rpc.call("tcp.StartTLS", Json.value(uuid)));
                assertTrue(again.getMessage().contains("already uses TLS"), again.getMessage());
            }
        }
    }
}
