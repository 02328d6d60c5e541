package io.rrtcp.it;

import com.eclipsesource.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several named servers over one pool: each answers with its own name; parallel traffic stays on its connection. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MultiServerTest extends ServerTest {
    @Test
    void eachServerAnswersWithItsOwnName() throws Exception {
        server = TestServer.in(dir).server("server1", "\\r\\n").server("server2", "\\r\\n").server("server3", "\\n").start();
        for (String name : List.of("server1", "server2", "server3")) {
            try (Client client = server.connect(name)) {
                String delimiter = name.equals("server3") ? "\n" : "\r\n";
                var ctx = Json.parse(client.ask("ctx" + delimiter)).asObject();
                assertEquals(name, ctx.getString("server", ""));
                assertEquals(client.localAddress(), ctx.getString("remote_addr", ""));
            }
        }
    }

    @Test
    void threeServersHundredRoundTripsEachInParallelStayOnTheirConnection() throws Exception {
        server = TestServer.in(dir).server("server1", "\\r\\n").server("server2", "\\r\\n").server("server3", "\\r\\n")
                .env("GREETING", "hello \\\\r\\\\n").start();
        List<Future<Integer>> results = new ArrayList<>();
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (String name : List.of("server1", "server2", "server3")) {
                for (int c = 0; c < 4; c++) {
                    int id = c;
                    results.add(clients.submit(() -> {
                        try (Client client = server.connect(name)) {
                            assertEquals("hello \r\n", client.readUntil("\r\n"));
                            for (int i = 0; i < 100; i++) {
                                String message = name + "/" + id + "/" + i + "\r\n";
                                assertEquals(message, client.ask(message));
                            }
                            return 100;
                        }
                    }));
                }
            }
        }
        int total = 0;
        for (Future<Integer> f : results) {
            total += f.get();
        }
        assertEquals(3 * 4 * 100, total);
    }
}
