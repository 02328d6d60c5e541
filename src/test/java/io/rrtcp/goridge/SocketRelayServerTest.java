package io.rrtcp.goridge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket relay's accept side with fake workers: RR speaks first, connections are filed by reported pid. */
@Timeout(30)
class SocketRelayServerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** Reads the pid request and answers as the PHP worker does (CONTROL only, no options). */
    private static void answerPid(InputStream in, OutputStream out, long pid) throws IOException {
        Frame hello = FrameCodec.read(in, 4096);
        assertEquals(Frame.CONTROL | Frame.CODEC_JSON, hello.flags());
        assertTrue(new String(hello.payload(), StandardCharsets.US_ASCII)
                .equals("{\"pid\":" + ProcessHandle.current().pid() + "}"));
        out.write(FrameCodec.encode(Frame.of(Frame.CONTROL, ("{\"pid\":" + pid + "}").getBytes(StandardCharsets.US_ASCII))));
        out.flush();
    }

    @Test
    void aConnectionIsRoutedByTheReportedPidAndABadOneDoesNotStopAccepting() throws Exception {
        try (SocketRelayServer relay = SocketRelayServer.tcp("127.0.0.1", 0, TIMEOUT)) {
            int port = Integer.parseInt(relay.dsn().substring(relay.dsn().lastIndexOf(':') + 1));
            try (Socket bad = new Socket("127.0.0.1", port)) {
                FrameCodec.read(bad.getInputStream(), 4096);
                bad.getOutputStream().write("not a frame, not at all".getBytes(StandardCharsets.US_ASCII));
                assertEquals(-1, bad.getInputStream().read(), "the bad connection is closed");
            }
            try (Socket worker = new Socket("127.0.0.1", port)) {
                answerPid(worker.getInputStream(), worker.getOutputStream(), 4242);
                SocketChannel claimed = relay.await(4242, TIMEOUT, () -> true);
                Channels.newOutputStream(claimed).write("ping".getBytes(StandardCharsets.US_ASCII));
                assertEquals("ping", new String(worker.getInputStream().readNBytes(4), StandardCharsets.US_ASCII));
                claimed.close();
            }
        }
    }

    @Test
    void waitingEndsWhenTheProcessDiesOrTheTimeoutPasses() throws Exception {
        try (SocketRelayServer relay = SocketRelayServer.tcp("127.0.0.1", 0, TIMEOUT)) {
            IOException dead = assertThrows(IOException.class, () -> relay.await(1, TIMEOUT, () -> false));
            assertTrue(dead.getMessage().contains("exited before it connected"), dead.getMessage());
            IOException late = assertThrows(IOException.class, () -> relay.await(2, Duration.ofMillis(200), () -> true));
            assertTrue(late.getMessage().contains("relay_timeout=200ms"), late.getMessage());
        }
    }

    @Test
    void unixSocketsWorkToo(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("relay.sock");
        try (SocketRelayServer relay = SocketRelayServer.unix(file, file.toString(), TIMEOUT);
             SocketChannel worker = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            assertEquals("unix://" + file, relay.dsn());
            worker.connect(UnixDomainSocketAddress.of(file));
            answerPid(Channels.newInputStream(worker), Channels.newOutputStream(worker), 77);
            relay.await(77, TIMEOUT, () -> true).close();
        }
    }
}
