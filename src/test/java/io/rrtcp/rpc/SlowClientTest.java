package io.rrtcp.rpc;

import com.eclipsesource.json.Json;
import com.eclipsesource.json.JsonObject;
import io.rrtcp.config.ConnectionLimits;
import io.rrtcp.config.ListenAddress;
import io.rrtcp.config.TcpServerConfig;
import io.rrtcp.tcp.TcpService;
import io.rrtcp.goridge.Payload;
import io.rrtcp.worker.RequestExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading cannot hold an RPC caller: {@code tcp.Send} gives up after its server's write_timeout and closes
 * that connection, {@code tcp.Broadcast} counts only the clients that took the data. Workers are a stub that answers
 * CONTINUE, so that only the write path is under test.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SlowClientTest {
    private static final RequestExecutor CONTINUE = new RequestExecutor() {
        @Override
        public Payload exec(Payload request) {
            return new Payload("CONTINUE".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        }

        @Override
        public void execClose(Payload closeEvent) {
        }
    };

    /** The server's write_timeout is what bounds an RPC write (the dispatcher's 50 s is for servers without one). */
    private static final ConnectionLimits WRITE_TIMEOUT_500MS = writeTimeout(Duration.ofMillis(500));
    /** Time enough for a reading client to take 8 MiB on a loaded machine. */
    private static final ConnectionLimits WRITE_TIMEOUT_3S = writeTimeout(Duration.ofSeconds(3));

    private static ConnectionLimits writeTimeout(Duration d) {
        return new ConnectionLimits(ConnectionLimits.DEFAULT_MAX_MESSAGE_SIZE, Duration.ZERO, Duration.ZERO, 0, d);
    }

    private TcpService tcp;
    private RpcServer rpc;

    @AfterEach
    void stop() {
        if (rpc != null) {
            rpc.close();
        }
        if (tcp != null) {
            tcp.stop(Duration.ofSeconds(5));
        }
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", tcp.addresses().get("main").getPort()));
        s.setSoTimeout(15_000);
        return s;
    }

    private String uuidOf(Socket s) throws Exception {
        String local = "127.0.0.1:" + s.getLocalPort();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            var found = tcp.registry().all().stream().filter(c -> c.remoteAddr().equals(local)).findFirst();
            if (found.isPresent()) {
                return found.get().uuid();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("connection " + local + " not registered");
    }

    @Test
    void aClientThatDoesNotReadIsClosedAfterTheWriteTimeoutAndOthersStillGetTheirData() throws Exception {
        tcp = TcpService.start(List.of(new TcpServerConfig("main", ListenAddress.parse("127.0.0.1:0"),
                "\n".getBytes(StandardCharsets.US_ASCII), 4096, WRITE_TIMEOUT_500MS)), CONTINUE);
        rpc = RpcServer.start("tcp://127.0.0.1:0",
                RpcDispatcher.of(tcp.registry(), Set.of("main"), Map.of(), Duration.ofSeconds(50), "test"));
        try (Socket stalled = connect(); Socket healthy = connect(); RpcClient client = RpcClient.connect(rpc.address().dsn())) {
            String stalledUuid = uuidOf(stalled);
            String healthyUuid = uuidOf(healthy);
            String big = "x".repeat(8 * 1024 * 1024) + "\n";

            long started = System.nanoTime();
            RpcException e = assertThrows(RpcException.class, () -> client.call("tcp.Send",
                    new JsonObject().add("uuid", stalledUuid).add("data", big)));
            assertTrue(e.getMessage().contains("timed out after 500ms"), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(10)) < 0,
                    "the caller was released (generous bound)");
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (tcp.registry().find(stalledUuid).isPresent() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(tcp.registry().find(stalledUuid).isEmpty(), "the stalled connection was closed");

            assertEquals(Json.TRUE, client.call("tcp.Send", new JsonObject().add("uuid", healthyUuid).add("data", "ok\n")));
            byte[] got = healthy.getInputStream().readNBytes(3);
            assertEquals("ok\n", new String(got, StandardCharsets.US_ASCII));
        }
    }

    @Test
    void broadcastCountsOnlyClientsThatTookTheData() throws Exception {
        tcp = TcpService.start(List.of(new TcpServerConfig("main", ListenAddress.parse("127.0.0.1:0"),
                "\n".getBytes(StandardCharsets.US_ASCII), 4096, WRITE_TIMEOUT_3S)), CONTINUE);
        rpc = RpcServer.start("tcp://127.0.0.1:0",
                RpcDispatcher.of(tcp.registry(), Set.of("main"), Map.of(), Duration.ofSeconds(50), "test"));
        try (Socket stalled = connect(); Socket reader = connect(); RpcClient client = RpcClient.connect(rpc.address().dsn())) {
            uuidOf(stalled);
            uuidOf(reader);
            String big = "y".repeat(8 * 1024 * 1024) + "\n";
            Thread drain = Thread.ofVirtual().start(() -> {
                try {
                    reader.getInputStream().readNBytes(big.length());
                } catch (Exception ignored) {
                    // the test fails on the count instead
                }
            });
            assertEquals(Json.value(1), client.call("tcp.Broadcast",
                    new JsonObject().add("server", "main").add("data", big)));
            drain.join(Duration.ofSeconds(10));
        }
    }
}
