package io.rrtcp.it;

import io.rrtcp.config.ConfigLoader;
import io.rrtcp.config.ConfigOptions;
import io.rrtcp.server.RrTcpServer;
import io.rrtcp.support.DebianPackages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bundled demo (conf/.rr.yaml and conf/worker.php, 4 workers, dialogue state in the memory kv) on free ports,
 * driven by a real SMTP client: swaks (Debian package) sends a whole mail transaction.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SmtpDemoTest {
    private static final Path CONF = Path.of("conf").toAbsolutePath();
    private static final Pattern WORKER = Pattern.compile("\\(worker (\\d+)\\)");

    @TempDir
    Path dir;
    RrTcpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private RrTcpServer startDemo(Path mailbox) {
        List<String> overrides = List.of("tcp.servers.smtp.addr=127.0.0.1:0", "tcp.servers.echo.addr=127.0.0.1:0",
                "rpc.listen=tcp://127.0.0.1:0", "server.env.MAILBOX=" + mailbox);
        try {
            server = RrTcpServer.start(ConfigLoader.load(CONF.resolve(".rr.yaml"),
                    new ConfigOptions(overrides, System.getenv())), CONF);
        } catch (Exception e) {
            throw new AssertionError("the demo did not start: " + e.getMessage(), e);
        }
        return server;
    }

    @Test
    void swaksCompletesAMailTransactionWhoseDialogueStateLivesInKv() throws Exception {
        Path swaks = DebianPackages.require("swaks", "swaks");
        Path mailbox = dir.resolve("mailbox.txt");
        startDemo(mailbox);
        int port = server.addresses().get("smtp").getPort();
        Process p = new ProcessBuilder(swaks.toString(), "--server", "127.0.0.1", "--port", String.valueOf(port),
                "--helo", "client.example.org", "--from", "alice@example.org",
                "--to", "bob@example.org,carol@example.org", "--header", "Subject: kv demo",
                "--body", "Hello from swaks.\n.a line that starts with a dot\nBye.", "--timeout", "20")
                .redirectErrorStream(true).start();
        String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        System.out.println("swaks transcript:\n" + transcript);
        assertEquals(0, p.exitValue(), transcript);
        assertTrue(transcript.contains("<-  250 2.1.5 Recipient <carol@example.org> OK"), transcript);
        assertTrue(transcript.contains("<-  250 2.0.0 OK: queued as "), transcript);
        assertTrue(transcript.contains("<-  221 2.0.0 Bye"), transcript);

        Set<String> workers = new HashSet<>();
        Matcher m = WORKER.matcher(transcript);
        while (m.find()) {
            workers.add(m.group(1));
        }
        assertTrue(workers.size() > 1, "the dialogue was served by more than one worker: " + workers);

        String mail = Files.readString(mailbox);
        assertTrue(mail.contains("X-Envelope-From: <alice@example.org>\r\n"), mail);
        assertTrue(mail.contains("X-Envelope-To: <bob@example.org>, <carol@example.org>\r\n"), mail);
        assertTrue(mail.contains("Subject: kv demo\r\n"), mail);
        assertTrue(mail.contains("Hello from swaks.\r\n.a line that starts with a dot\r\nBye.\r\n"),
                "dot-stuffing undone, lines intact: " + mail);
    }

    @Test
    void swaksStartsTlsWithTheCertificateTheDemoMadeOnItsFirstStart() throws Exception {
        Path swaks = DebianPackages.require("swaks", "swaks");
        startDemo(dir.resolve("mailbox.txt"));
        assertTrue(java.nio.file.Files.isRegularFile(CONF.resolve("tls/demo.pem")), "made by tls-cert.php (on_init)");
        int port = server.addresses().get("smtp").getPort();
        Process p = new ProcessBuilder(swaks.toString(), "--tls", "--server", "127.0.0.1:" + port,
                "--from", "alice@example.org", "--to", "bob@example.org", "--timeout", "20")
                .redirectErrorStream(true).start();
        String transcript = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        System.out.println("swaks --tls transcript:\n" + transcript);
        assertEquals(0, p.exitValue(), transcript);
        assertTrue(transcript.contains("<-  250 STARTTLS"), "offered in plain text: " + transcript);
        assertTrue(transcript.contains("<-  220 2.0.0 Ready to start TLS"), transcript);
        assertTrue(transcript.contains("=== TLS started with cipher TLSv1.3"), transcript);
        assertTrue(transcript.contains("<~  250 HELP"), "EHLO again inside TLS, without STARTTLS: " + transcript);
        assertTrue(transcript.contains("<~  250 2.0.0 OK: queued as "), transcript);
        assertTrue(transcript.contains("<~  221 2.0.0 Bye"), transcript);
    }

    @Test
    void commandsOutOfOrderGetSmtpErrorsAndTheDialogueGoesOn() throws Exception {
        startDemo(dir.resolve("mailbox.txt"));
        try (Client c = new Client(server.addresses().get("smtp").getPort())) {
            assertTrue(c.readUntil("\r\n").startsWith("220 "));
            assertTrue(c.ask("MAIL FROM:<a@b>\r\n").startsWith("503 5.5.1 Error: send HELO/EHLO first"));
            assertTrue(c.ask("HELO me\r\n").startsWith("250 rr-tcp Hello me"));
            assertTrue(c.ask("RCPT TO:<x@y>\r\n").startsWith("503 5.5.1 Error: need MAIL command"));
            assertTrue(c.ask("MAIL FROM:<a@b>\r\n").startsWith("250 2.1.0 Sender <a@b> OK"));
            assertTrue(c.ask("DATA\r\n").startsWith("503 5.5.1 Error: need RCPT command"));
            assertTrue(c.ask("RSET\r\n").startsWith("250 2.0.0 OK"));
            assertTrue(c.ask("RCPT TO:<x@y>\r\n").startsWith("503 5.5.1 Error: need MAIL command"), "RSET forgot the sender");
            assertTrue(c.ask("BOGUS\r\n").startsWith("500 5.5.2"));
            assertEquals("221 2.0.0 Bye\r\n", c.ask("QUIT\r\n"));
        }
    }
}
