package io.rrtcp.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Messages are split at every delimiter, however TCP cuts the stream (upstream only looks at the end of a read). */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FramingTest extends ServerTest {
    @Test
    void pipelinedMessagesInOneWriteAreSeparateDataEvents() throws Exception {
        server = TestServer.in(dir).server("smtp", "\\r\\n").start();
        try (Client client = server.connect("smtp")) {
            client.send("HELO a\r\nMAIL FROM:<x@y>\r\nRCPT TO:<z@y>\r\n");
            assertEquals("HELO a\r\n", client.readUntil("\r\n"));
            assertEquals("MAIL FROM:<x@y>\r\n", client.readUntil("\r\n"));
            assertEquals("RCPT TO:<z@y>\r\n", client.readUntil("\r\n"));
            assertEquals(List.of("HELO a\r\n", "MAIL FROM:<x@y>\r\n", "RCPT TO:<z@y>\r\n"),
                    server.dataBodies(server.uuidOf(client), 3));
        }
    }

    @Test
    void delimiterSplitAcrossWrites50msApartIsFound() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            client.send("hel");
            Thread.sleep(50);
            client.send("lo\r");
            Thread.sleep(50);
            client.send("\n");
            assertEquals("hello\r\n", client.readUntil("\r\n"));
            assertEquals(List.of("hello\r\n"), server.dataBodies(server.uuidOf(client), 1));
        }
    }

    @Test
    void oneByteWriteThenTheRestIsOneMessage() throws Exception {
        // upstream closes the connection when a read is shorter than the delimiter
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            client.send("x");
            Thread.sleep(50);
            client.send("yz\r\n");
            assertEquals("xyz\r\n", client.readUntil("\r\n"));
        }
    }

    @Test
    void customMultiByteDelimiterWorksAndStaysInTheBody() throws Exception {
        server = TestServer.in(dir).server("custom", "--end--").env("DELIM", "--end--").start();
        try (Client client = server.connect("custom")) {
            client.send("first--end--sec");
            assertEquals("first--end--", client.readUntil("--end--"));
            client.send("ond-");
            Thread.sleep(30);
            client.send("-end--third--end--");
            assertEquals("second--end--", client.readUntil("--end--"));
            assertEquals("third--end--", client.readUntil("--end--"));
            client.send("bye--end--");
            assertEquals("goodbye\r\n", client.readToEof(), "commands match with the custom delimiter stripped");
        }
    }

    @Test
    void singleByteDelimiter() throws Exception {
        server = TestServer.in(dir).server("lines", "\\n").start();
        try (Client client = server.connect("lines")) {
            client.send("a\nb\n\nc\n");
            assertEquals("a\n", client.readLine());
            assertEquals("b\n", client.readLine());
            assertEquals("\n", client.readLine());
            assertEquals("c\n", client.readLine());
        }
    }

    @Test
    void aLargeMessageArrivesWhole() throws Exception {
        server = TestServer.in(dir).server("main", "\\r\\n").start();
        try (Client client = server.connect("main")) {
            String big = "0123456789abcdef".repeat(256 * 1024) + "\r\n"; // 4 MiB + 2, several read_buf_size chunks
            client.send(big);
            assertEquals(big, client.readUntil("\r\n"));
        }
    }
}
