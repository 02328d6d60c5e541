package io.rrtcp.it;

import io.rrtcp.support.Daemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health} and {@code /ready} as a probe (real curl) sees them through start-up, a kill of every worker and a
 * graceful stop. The answers are truthful: JSON per plugin with what they rest on.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class StatusEndpointTest extends ServerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private int port;

    private TestServer.Builder withStatus() throws Exception {
        port = Daemon.freePort();
        return TestServer.in(dir).workers(2).section("status:\n  address: 127.0.0.1:" + port);
    }

    private Curl.Answer get(String pathAndQuery) throws Exception {
        return Curl.get("http://127.0.0.1:" + port + pathAndQuery);
    }

    private Curl.Answer await(String pathAndQuery, int code) throws Exception {
        return Await.until(() -> get(pathAndQuery), a -> a.code() == code, WAIT, pathAndQuery + " answering " + code);
    }

    @Test
    void readyAnswers503WhileTheWorkersStartThen200() throws Exception {
        // on_init runs before the workers, with the status endpoint already up: a window where nothing serves yet
        TestServer.Builder builder = withStatus().serverLine("on_init: {command: \"sleep 2\"}");
        CompletableFuture<TestServer> starting = CompletableFuture.supplyAsync(() -> {
            try {
                return builder.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Curl.Answer first = Await.until(() -> get("/ready?plugin=tcp"), a -> a.code() != 0, WAIT, "the status endpoint");
        assertEquals(503, first.code(), first.body());
        assertTrue(first.body().contains("\"error_message\":\"workers are not started yet\""), first.body());
        assertEquals(503, get("/health").code(), "not alive before the workers are");

        Curl.Answer ready = await("/ready?plugin=tcp", 200);
        server = starting.get(30, TimeUnit.SECONDS);
        assertTrue(ready.body().startsWith("[{\"plugin_name\":\"tcp\",\"status_code\":200,\"error_message\":\"\""),
                ready.body());
        assertTrue(ready.body().contains("\"alive\":2"), ready.body());
        assertTrue(ready.body().contains("\"listeners\":{\"main\":\"accepting\"}"), ready.body());

        Curl.Answer all = get("/health");
        assertEquals(200, all.code(), "no parameter: every plugin rr-tcp has");
        assertTrue(all.body().contains("\"plugin_name\":\"tcp\""), all.body());
        Curl.Answer unknown = get("/health?plugin=tcp&plugin=nope");
        assertEquals(503, unknown.code(), "an unknown plugin is not healthy");
        assertTrue(unknown.body().contains("{\"plugin_name\":\"nope\",\"status_code\":503,"
                + "\"error_message\":\"no health or readiness check for plugin nope; there are checks for: tcp\"}"),
                unknown.body());
        assertEquals(404, get("/jobs").code());
    }

    @Test
    void killingEveryWorkerTurnsHealthAndReadyUnavailableUntilWorkersAreBack() throws Exception {
        Path crash = dir.resolve("crash-on-start");
        server = withStatus().env("CRASH_ON_START_IF", crash.toString()).start();
        assertEquals(200, get("/health?plugin=tcp").code());
        assertEquals(200, get("/ready?plugin=tcp").code());

        Files.writeString(crash, "replacements crash until this file is gone");
        List<Long> pids = new ArrayList<>(server.workerPids());
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        Curl.Answer down = await("/health?plugin=tcp", 503);
        assertTrue(down.body().contains("\"error_message\":\"no worker is alive\""), down.body());
        assertTrue(down.body().contains("\"alive\":0"), down.body());
        assertEquals(503, get("/ready?plugin=tcp").code());

        Files.delete(crash);
        Curl.Answer up = await("/health?plugin=tcp", 200);
        assertTrue(up.body().contains("\"error_message\":\"\""), up.body());
        await("/ready?plugin=tcp", 200);
        assertTrue(server.workerPids().stream().noneMatch(pids::contains), "fresh workers");
    }

    @Test
    void aGracefulStopTurnsReadyOffBeforeAnyConnectionCloses() throws Exception {
        server = withStatus().start();
        try (Client client = server.connect("main")) {
            assertEquals("hi\r\n", client.ask("hi\r\n"));
            assertEquals(200, get("/ready").code());
            client.send("sleep 3000\r\n"); // a request in flight keeps the stop (and the endpoint) busy for a while
            Await.until(() -> server.server().pool().queueSize(), n -> n == 1, WAIT, "the request in the pool");

            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            assertEquals("", client.readToEof(), "the stop closes the connection");
            Curl.Answer ready = get("/ready?plugin=tcp");
            assertEquals(503, ready.code(), "already unavailable when the connection closed: " + ready.body());
            assertTrue(ready.body().contains("\"error_message\":\"rr-tcp is stopping: no new clients\""), ready.body());
            Curl.Answer health = get("/health?plugin=tcp");
            assertEquals(200, health.code(), "alive while draining, as upstream: " + health.body());
            assertTrue(health.body().contains("\"stopping\":true"), health.body());
            stopping.get(30, TimeUnit.SECONDS);
        }
        assertEquals(0, get("/ready").code(), "the endpoint stops last, with the server");
        server = null;
    }

    @Test
    void duringADrainReadyIsUnavailableWhileOpenConnectionsAreStillServed() throws Exception {
        server = withStatus().tcp("shutdown_grace: 20s").start();
        try (Client client = server.connect("main")) {
            assertEquals("before\r\n", client.ask("before\r\n"));
            CompletableFuture<Void> stopping = CompletableFuture.runAsync(server::close);
            Curl.Answer ready = await("/ready?plugin=tcp", 503);
            assertTrue(ready.body().contains("rr-tcp is stopping: no new clients"), ready.body());
            assertEquals(200, get("/health?plugin=tcp").code(), "alive while draining");
            assertEquals("during\r\n", client.ask("during\r\n"), "the open connection is still served");
            client.close(); // the last connection ends by itself: the drain completes, the stop goes on
            stopping.get(30, TimeUnit.SECONDS);
        }
        server = null;
    }
}
